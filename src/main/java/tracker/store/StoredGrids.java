package tracker.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import tracker.plan.GridStages;

/**
 * {@link GridStages} as the experiment document keeps them, in field {@code grids} (and, while an
 * extension is planned, the stages it started from in {@code extendingGrids}):
 * <pre>
 * grids: [{model: "mlp", stages: [[{param: "epochs", value: 30}, {param: "lr", values: [0.1, 0.01]}],
 *                                 [{param: "epochs", values: [30, 60]}, {param: "lr", values: [0.1, 0.01, 0.001]}]]}]
 * </pre>
 * Lists of documents rather than maps keyed by name: model and parameter names may hold dots.
 */
final class StoredGrids {
    private StoredGrids() {
    }

    static List<Document> document(GridStages stages) {
        List<Document> out = new ArrayList<>();
        stages.byModel().forEach((model, list) -> {
            List<List<Document>> docs = new ArrayList<>();
            for (Map<String, GridStages.Values> stage : list) {
                List<Document> params = new ArrayList<>();
                stage.forEach((param, v) -> params.add(v.constant() ? new Document("param", param).append("value", v.values().get(0))
                        : new Document("param", param).append("values", v.values())));
                docs.add(params);
            }
            out.add(new Document("model", model).append("stages", docs));
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    static GridStages from(Object stored) {
        if (!(stored instanceof List<?> models) || models.isEmpty()) {
            return GridStages.NONE;
        }
        Map<String, List<Map<String, GridStages.Values>>> out = new LinkedHashMap<>();
        for (Object o : models) {
            Document m = (Document) o;
            List<Map<String, GridStages.Values>> stages = new ArrayList<>();
            for (Object s : m.get("stages", List.class)) {
                Map<String, GridStages.Values> stage = new LinkedHashMap<>();
                for (Object p : (List<Object>) s) {
                    Document d = (Document) p;
                    stage.put(d.getString("param"), d.containsKey("values") ? new GridStages.Values(false, new ArrayList<>(d.get("values", List.class)))
                            : new GridStages.Values(true, java.util.Collections.singletonList(d.get("value"))));
                }
                stages.add(stage);
            }
            out.put(m.getString("model"), stages);
        }
        return new GridStages(out);
    }
}
