package tracker.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import tracker.spec.Definition.Condition;

/**
 * A model's grid with inactive parameters left out and no setting twice: optimizer [sgd, adam] x
 * momentum [0.9, 0.99] (momentum when optimizer is sgd) is sgd/0.9, sgd/0.99 and adam, 3 settings,
 * not the 4 of the plain product.
 *
 * <p>The parameters that conditions name (the switches: constants and categoricals) are walked in
 * an order where each comes after the switches its own condition names; an inactive switch takes
 * no value, an active one each of its values in turn. Every leaf of that walk is a distinct
 * combination of the active switches - a block - and holds the product of the grids of the other
 * parameters active in it. Setting k is found by its block and its place in the block (the last
 * parameter varying fastest), computed, never enumerated. A model without conditions has no
 * switches and one block: the plain product, in the plain order, so its grid is what it always was.
 */
public final class ConditionalGrid {
    /**
     * Blocks kept at most: a model whose switches combine in more ways is counted as too large. Every
     * block holds at least one setting, so such a grid has more settings than this anyway.
     */
    static final int MAX_BLOCKS = 100_000;

    private final List<String> switches;
    private final List<List<Object>> switchValues;
    private final List<String> others;
    private final List<Space> otherSpaces;
    private final Map<String, Condition> conditions;
    /** Per block: the value index of each switch (-1: inactive) and which of the others are active. */
    private final List<int[]> blockSwitches = new ArrayList<>();
    private final List<boolean[]> blockActive = new ArrayList<>();
    private final List<Long> blockStarts = new ArrayList<>();
    private long size;

    private ConditionalGrid(Definition.Model model) {
        this.conditions = model.conditions();
        this.switches = switchOrder(model);
        this.switchValues = new ArrayList<>();
        for (String s : switches) {
            Space space = model.params().get(s);
            switchValues.add(space instanceof Space.Categorical c ? c.values() : List.of(((Space.Constant) space).value()));
        }
        this.others = new ArrayList<>();
        this.otherSpaces = new ArrayList<>();
        model.params().forEach((name, space) -> {
            if (!switches.contains(name)) {
                others.add(name);
                otherSpaces.add(space);
            }
        });
    }

    /**
     * The grid of a model; its {@link #size} is -1 when a parameter has no grid, and
     * {@link Long#MAX_VALUE} when it is too large to count or to plan.
     */
    public static ConditionalGrid of(Definition.Model model) {
        ConditionalGrid g = new ConditionalGrid(model);
        for (Space space : model.params().values()) {
            if (GridValues.size(space) < 0) {
                g.size = -1;
                return g;
            }
        }
        int[] chosen = new int[g.switches.size()];
        g.walk(0, chosen, new LinkedHashMap<>());
        return g;
    }

    /** Settings in the grid: -1 if a parameter has no grid, {@link Long#MAX_VALUE} if too many to count. */
    public long size() {
        return size;
    }

    /** Setting k (0-based, below {@link #size}): the active parameters only. */
    public SortedMap<String, Object> setting(long k) {
        int block = Collections.binarySearch(blockStarts, k);
        block = block >= 0 ? block : -block - 2; // the last block starting at or before k
        TreeMap<String, Object> setting = new TreeMap<>();
        int[] chosen = blockSwitches.get(block);
        for (int i = 0; i < switches.size(); i++) {
            if (chosen[i] >= 0) {
                setting.put(switches.get(i), switchValues.get(i).get(chosen[i]));
            }
        }
        boolean[] active = blockActive.get(block);
        long rest = k - blockStarts.get(block);
        for (int p = others.size() - 1; p >= 0; p--) {
            if (active[p]) {
                long n = GridValues.size(otherSpaces.get(p));
                setting.put(others.get(p), GridValues.valueAt(otherSpaces.get(p), rest % n));
                rest /= n;
            }
        }
        return Collections.unmodifiableSortedMap(setting);
    }

    private void walk(int i, int[] chosen, Map<String, Object> active) {
        if (size == Long.MAX_VALUE) {
            return;
        }
        if (i == switches.size()) {
            leaf(chosen, active);
            return;
        }
        String name = switches.get(i);
        if (!holds(name, active)) {
            chosen[i] = -1;
            walk(i + 1, chosen, active);
            return;
        }
        for (int v = 0; v < switchValues.get(i).size(); v++) {
            chosen[i] = v;
            active.put(name, switchValues.get(i).get(v));
            walk(i + 1, chosen, active);
            active.remove(name);
        }
    }

    private void leaf(int[] chosen, Map<String, Object> active) {
        if (blockStarts.size() == MAX_BLOCKS) {
            size = Long.MAX_VALUE;
            return;
        }
        boolean[] on = new boolean[others.size()];
        long count = 1;
        for (int p = 0; p < others.size(); p++) {
            on[p] = holds(others.get(p), active);
            if (on[p]) {
                long n = GridValues.size(otherSpaces.get(p));
                count = n == Long.MAX_VALUE ? Long.MAX_VALUE : GridValues.multiplySaturated(count, n);
            }
        }
        if (count == 0) {
            return; // a param without values: no setting here, and no empty block for setting(k) to land on
        }
        blockSwitches.add(Arrays.copyOf(chosen, chosen.length));
        blockActive.add(on);
        blockStarts.add(size);
        size = size > Long.MAX_VALUE - count ? Long.MAX_VALUE : size + count;
    }

    /** Whether a parameter's condition holds, given the switches decided so far (inactive ones absent). */
    private boolean holds(String name, Map<String, Object> active) {
        Condition c = conditions.get(name);
        if (c == null) {
            return true;
        }
        for (Map.Entry<String, List<Object>> on : c.values().entrySet()) {
            if (!active.containsKey(on.getKey()) || !Condition.among(active.get(on.getKey()), on.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The parameters conditions name, each after those its own condition names, else by name. */
    private static List<String> switchOrder(Definition.Model model) {
        TreeMap<String, List<String>> needs = new TreeMap<>();
        for (Condition c : model.conditions().values()) {
            for (String on : c.values().keySet()) {
                Condition own = model.conditions().get(on);
                needs.put(on, own == null ? List.of() : List.copyOf(own.values().keySet()));
            }
        }
        List<String> order = new ArrayList<>();
        while (!needs.isEmpty()) {
            String next = null;
            for (Map.Entry<String, List<String>> e : needs.entrySet()) {
                if (order.containsAll(e.getValue())) {
                    next = e.getKey();
                    break;
                }
            }
            if (next == null) {
                throw new IllegalArgumentException("conditions of model " + model.name() + " form a cycle: " + needs.keySet());
            }
            order.add(next);
            needs.remove(next);
        }
        return order;
    }
}
