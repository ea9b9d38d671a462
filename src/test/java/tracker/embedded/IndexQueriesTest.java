package tracker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Which query shapes the unique {@code _id} index serves instead of a scan of the collection - in
 * the shapes the driver writes them ({@code Filters.and} is always a $and of clauses). A scan gives
 * the same documents, only slower (seconds at a million documents), so the results alone cannot tell.
 */
class IndexQueriesTest {
    private final DurableUniqueIndex index = DurableUniqueIndex.open(new MVStore.Builder().open(), "c._index_id", "_id_",
            List.of(new IndexKey("_id", true)), false);

    private static Document and(Document... clauses) {
        return new Document("$and", new ArrayList<>(List.of(clauses)));
    }

    @Test
    void a_range_of_text_ids_in_two_clauses_or_one_is_served() {
        assertThat(index.canHandle(and(new Document("_id", new Document("$gte", "a")), new Document("_id", new Document("$lt", "b")))))
                .isTrue();
        assertThat(index.canHandle(new Document("_id", new Document("$gt", "a").append("$lte", "b")))).isTrue();
        assertThat(index.canHandle(and(new Document("_id", new Document("$gte", "a")), new Document("_id", new Document("$lt", "b")),
                new Document("n", 7)))).as("with other conditions").isTrue();
        assertThat(index.canHandle(new Document("_id", new Document("$gte", "a")))).as("open above").isFalse();
        assertThat(index.canHandle(and(new Document("_id", new Document("$gte", 1)), new Document("_id", new Document("$lt", 2)))))
                .as("numbers are left to the scan").isFalse();
    }

    @Test
    void a_list_of_ids_with_other_conditions_is_served() {
        assertThat(index.canHandle(and(new Document("_id", new Document("$in", List.of("a", "b"))), new Document("status", "running"))))
                .isTrue();
        assertThat(index.canHandle(new Document("_id", new Document("$in", List.of("a", "b"))))).isTrue();
    }

    @Test
    void an_id_pinned_with_other_conditions_is_served() {
        assertThat(index.canHandle(and(new Document("_id", "a"), new Document("token", "t"), new Document("status", "running")))).isTrue();
        assertThat(index.canHandle(new Document("status", "running"))).isFalse();
    }
}
