package tracker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;

/** Batched collection scans read each batch from the store when asked, and still return exactly what a find should. */
class ScanCursorTest {
    @RegisterExtension
    static final InMemoryBackend BACKEND = new InMemoryBackend();

    private static MongoCollection<Document> filled(String name, int n) {
        MongoCollection<Document> c = BACKEND.client().getDatabase("scan").getCollection(name);
        c.drop();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(new Document("_id", String.format("r%05d", i)).append("i", i).append("group", i % 3)
                    .append("payload", "x".repeat(50)));
        }
        c.insertMany(docs);
        return c;
    }

    private static List<Integer> is(Iterable<Document> docs) {
        List<Integer> out = new ArrayList<>();
        docs.forEach(d -> out.add(d.getInteger("i")));
        return out;
    }

    @Test
    void a_batched_scan_returns_every_match_once_in_key_order_with_skip_limit_and_projection() {
        MongoCollection<Document> c = filled("plain", 2500);
        List<Integer> group1 = IntStream.range(0, 2500).filter(i -> i % 3 == 1).boxed().toList();
        assertThat(is(c.find(Filters.eq("group", 1)).batchSize(100))).isEqualTo(group1);
        assertThat(is(c.find(Filters.eq("group", 1)).batchSize(7).skip(10).limit(500))).isEqualTo(group1.subList(10, 510));
        assertThat(is(c.find().batchSize(1000))).hasSize(2500);
        assertThat(c.find(Filters.eq("group", 2)).batchSize(50).projection(Projections.include("i")).first().keySet())
                .containsExactly("_id", "i");
        assertThat(c.find(Filters.eq("group", 9)).batchSize(10).into(new ArrayList<>())).isEmpty();
        // sorted and unbatched finds take mongo-java-server's own way, with the same results
        assertThat(is(c.find(Filters.eq("group", 1)).sort(Sorts.descending("i")).batchSize(100))).hasSize(group1.size())
                .startsWith(2497);
        assertThat(is(c.find(Filters.eq("group", 1)))).isEqualTo(group1);
    }

    @Test
    void later_batches_see_the_collection_as_it_is_then_ahead_of_the_scan() {
        MongoCollection<Document> c = filled("moving", 300);
        try (MongoCursor<Document> cursor = c.find().batchSize(100).iterator()) {
            List<Integer> seen = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                seen.add(cursor.next().getInteger("i")); // the first batch
            }
            c.deleteOne(Filters.eq("_id", "r00150"));   // ahead: not returned
            c.insertOne(new Document("_id", "r00250x").append("i", 1000)); // ahead: returned
            c.insertOne(new Document("_id", "r00050x").append("i", 2000)); // behind: not returned
            c.updateOne(Filters.eq("_id", "r00200"), new Document("$set", new Document("i", 3000))); // ahead: as it is now
            cursor.forEachRemaining(d -> seen.add(d.getInteger("i")));
            assertThat(seen).doesNotContain(150, 2000, 200).contains(1000, 3000).hasSize(300 - 1 + 1)
                    .doesNotHaveDuplicates();
        }
    }
}
