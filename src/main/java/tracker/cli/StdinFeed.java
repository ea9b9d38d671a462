package tracker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import tracker.protocol.TrainerLines;
import tracker.worker.ChildOutput;

/**
 * Standard input read on a thread of its own, so that {@code log --stdin} can write a batch after
 * a second even while the trainer is quiet. What is read waits in a queue bounded in lines and in
 * characters; while it is full the reader blocks (the trainer waits on its pipe) - nothing is ever
 * dropped, and the end of input, or the error that ended it, always arrives last.
 */
final class StdinFeed {
    /** What the feed hands over: pieces of lines (a whole line is a piece that is first and last), then the end. */
    sealed interface Item {
    }

    record Piece(String text, boolean first, boolean last) implements Item {
    }

    /** The end of input; {@code failure} is what ended it early, or null. */
    record End(Throwable failure) implements Item {
        String why() {
            return failure.getMessage() != null ? failure.getMessage() : failure.toString();
        }
    }

    static final int MAX_ITEMS = 10_000;
    /** 32 MB of text at most in the queue, however long its lines (a piece is at most TrainerLines.MAX_LINE). */
    static final int MAX_CHARS = 16 << 20;

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(MAX_ITEMS);
    private final Semaphore chars = new Semaphore(MAX_CHARS);

    private StdinFeed() {
    }

    static StdinFeed start(InputStream in) {
        StdinFeed feed = new StdinFeed();
        Thread reader = new Thread(() -> feed.readAll(in), "tracker-log-stdin");
        reader.setDaemon(true);
        reader.start();
        return feed;
    }

    private void readAll(InputStream in) {
        Throwable failure = null;
        try (in) {
            ChildOutput.lines(in, TrainerLines.MAX_LINE, (text, first, last) -> {
                chars.acquire(text.length());
                queue.put(new Piece(text, first, last));
            });
        } catch (IOException | RuntimeException | Error e) {
            failure = e; // even an Error: without the end, the command would wait for it for ever
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // only the JVM's shutdown interrupts this daemon thread: nobody is waiting any more
        }
        try {
            queue.put(new End(failure)); // put, not offer: the end must arrive even when the queue is full
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next item, or null when none came within the timeout. */
    Item poll(long timeout, TimeUnit unit) throws InterruptedException {
        Item item = queue.poll(timeout, unit);
        if (item instanceof Piece p) {
            chars.release(p.text().length());
        }
        return item;
    }
}
