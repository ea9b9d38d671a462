#!/usr/bin/env bash
# A stand-in trainer for the tests of `tracker run`: --mode=NAME picks a behaviour.
# Every mode that finishes prints metric lines the way real trainers do.
mode=ok
epochs=3
for a in "$@"; do
  case "$a" in
    --mode=*) mode=${a#--mode=} ;;
    --epochs=*) epochs=${a#--epochs=} ;;
  esac
done

case "$mode" in
  ok)
    echo "training $TRACKER_MODEL on $TRACKER_DATASET (seed $TRACKER_SEED)"
    for e in $(seq 1 "$epochs"); do
      echo "{\"epoch\": $e, \"train\": {\"loss\": $(( 10 - e ))}, \"val\": {\"acc\": 0.$e}}"
    done
    echo "finished"
    ;;
  fail)
    echo "epoch=1 train.loss=1.5 val.acc=0.2"
    echo "Traceback (most recent call last):" >&2
    echo "ValueError: learning rate too high" >&2
    exit 3
    ;;
  crash)
    kill -9 $$
    ;;
  ignore-term)
    trap '' TERM
    echo "epoch=1 val.acc=0.5"
    echo "ready"
    while true; do sleep 0.1; done
    ;;
  sleep)
    echo "epoch=1 val.acc=0.5"
    echo "ready"
    sleep 60 & wait $!
    ;;
  resumable)
    # Saves the epoch reached after each epoch; on SIGTERM stops at once (the checkpoint is there).
    start=1
    if [ -n "$TRACKER_CHECKPOINT" ] && [ -f "$TRACKER_CHECKPOINT" ]; then
      start=$(( $(cat "$TRACKER_CHECKPOINT") + 1 ))
      echo "resumed from epoch $(( start - 1 ))"
    fi
    ck="$TRACKER_CHECKPOINT_DIR/${TRACKER_RUN//\//_}.ckpt"
    trap 'echo "SIGTERM after epoch $last"; exit 143' TERM
    last=$(( start - 1 ))
    for e in $(seq "$start" "$epochs"); do
      sleep 0.2 & wait $!
      echo "epoch=$e val.acc=0.$e"
      echo "$e" > "$ck.tmp" && mv "$ck.tmp" "$ck"
      echo "{\"checkpoint\": \"$ck\"}"
      last=$e
    done
    ;;
  noisy)
    echo "loading data..."
    echo "{\"epoch\": 1, \"val\": {\"acc\": 0.5}}"
    echo "warning: something odd"
    echo "{\"epoch\": \"one\", \"val\": {\"acc\": 0.6}}"
    echo "{not json at all"
    echo "epoch=2 val.acc=0.7 train.loss=nan"
    echo "epoch=3 val.acc"
    echo "{\"epoch\": 3, \"val\": {\"acc\": 0.8}, \"note\": \"lr decayed\", \"artifacts\": {\"model\": \"file:///tmp/m.bin\"}}"
    echo "done"
    ;;
  hostile-lines)
    # Lines that once stopped the reader (a StackOverflowError), then more output than a pipe holds.
    echo "{\"epoch\": 1, \"val\": {\"acc\": 0.5}}"
    printf '{"epoch": 2, "val": '; head -c 300000 /dev/zero | tr '\0' '['; echo
    echo "{\"epoch\": 3, \"val\": {\"acc\": \"0.9\"}}"
    echo "{\"epoch\": 4, \"val\": {\"acc\": 1e400}}"
    printf '{"epoch": 5, "note": "'; head -c 2000000 /dev/zero | tr '\0' 'x'; echo '"}'
    yes "output after the hostile lines" | head -n 20000
    echo "{\"epoch\": 6, \"val\": {\"acc\": Infinity}}"
    ;;
  long-line)
    head -c 3000000 /dev/zero | tr '\0' 'x'
    echo
    echo "epoch=1 val.acc=0.9"
    ;;
  large-output)
    yes "a line of chatty output from the trainer" | head -n 300000
    echo "epoch=1 val.acc=0.9"
    ;;
  steady)
    # An epoch every 0.3 s: long enough for things to happen to the worker meanwhile.
    for e in $(seq 1 "$epochs"); do
      sleep 0.3
      echo "epoch=$e val.acc=0.$e train.loss=$(( 10 - e ))"
    done
    ;;
  bar)
    # A tqdm-like progress bar on stderr, redrawn with carriage returns, between two ordinary lines.
    echo "epoch=1 val.acc=0.5"
    printf '\r  0%%|          | 0/5' >&2
    for i in 1 2 3 4 5; do
      sleep 0.05
      printf '\r%3d%%|%-10s| %d/5' $(( i * 20 )) "$(head -c $(( i * 2 )) /dev/zero | tr '\0' '#')" "$i" >&2
    done
    printf '\n' >&2
    echo "done"
    ;;
  oom)
    # Moves into the memory-limited cgroup the test made, then holds more than it allows.
    echo "epoch=1 val.acc=0.5"
    echo "allocating"
    echo $$ > "$OOM_CGROUP/cgroup.procs"
    x=$(head -c 400000000 /dev/zero | tr '\0' a)
    echo "survived with ${#x} bytes"
    ;;
  argv)
    # Writes its argument vector, NUL-separated, where the test reads it.
    printf '%s\0' "$@" > "$ARGV_DIR/${TRACKER_RUN//\//_}"
    echo "epoch=1 val.acc=0.9"
    ;;
  *)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac
