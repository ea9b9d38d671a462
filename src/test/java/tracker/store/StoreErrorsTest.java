package tracker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoCredential;
import com.mongodb.ServerAddress;
import com.mongodb.WriteConcernResult;
import com.mongodb.bulk.WriteConcernError;

import tracker.ExitCode;
import tracker.TrackerException;

/** What a replica set (or a server going away) throws becomes exit 5 with one line, and what a worker retries. */
class StoreErrorsTest {
    private static final ServerAddress HOST = new ServerAddress("db1", 27017);

    private static BsonDocument reply(int code, String name) {
        return new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(code)).append("codeName", new BsonString(name))
                .append("errmsg", new BsonString(name));
    }

    @Test
    void replica_set_transitions_and_timeouts_are_exit_5_and_transient() {
        List<RuntimeException> transients = List.of(
                new MongoNotPrimaryException(reply(10107, "NotWritablePrimary"), HOST),
                new MongoNodeIsRecoveringException(reply(11600, "InterruptedAtShutdown"), HOST),
                new MongoCommandException(reply(189, "PrimarySteppedDown"), HOST),
                new MongoCommandException(reply(91, "ShutdownInProgress"), HOST),
                new MongoCommandException(reply(11602, "InterruptedDueToReplStateChange"), HOST),
                new MongoWriteConcernException(new WriteConcernError(64, "WriteConcernFailed", "waiting for replication timed out",
                        new BsonDocument()), WriteConcernResult.acknowledged(1, true, null), HOST, List.of()),
                new MongoCommandException(reply(50, "MaxTimeMSExpired"), HOST),
                new MongoExecutionTimeoutException(50, "operation exceeded time limit"),
                new MongoSocketReadTimeoutException("Timeout while receiving message", HOST, new java.net.SocketTimeoutException()),
                new MongoTimeoutException("Timed out while waiting for a server"));
        for (RuntimeException e : transients) {
            TrackerException t = StoreErrors.translate(e, "db1:27017");
            assertThat(t).as(e.toString()).isNotNull();
            assertThat(t.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
            assertThat(t.getMessage()).as(e.toString()).contains("db1:27017").doesNotContain("\n");
            assertThat(t.hint()).isNotBlank();
            assertThat(StoreErrors.isTransient(e)).as(e.toString()).isTrue();
        }
        assertThat(StoreErrors.translate(transients.get(0), "db1:27017").getMessage()).contains("has no primary");
        assertThat(StoreErrors.translate(transients.get(5), "db1:27017").getMessage()).contains("majority");
    }

    @Test
    void authentication_is_exit_5_but_not_worth_retrying_and_other_errors_are_not_translated() {
        MongoSecurityException auth = new MongoSecurityException(MongoCredential.createCredential("u", "admin", "p".toCharArray()),
                "Exception authenticating");
        assertThat(StoreErrors.translate(auth, "h").exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(StoreErrors.isTransient(auth)).isFalse();
        assertThat(StoreErrors.isTransient(new MongoCommandException(reply(13, "Unauthorized"), HOST))).isFalse();
        MongoException bug = new MongoCommandException(reply(2, "BadValue"), HOST);
        assertThat(StoreErrors.translate(bug, "h")).isNull();
        assertThat(StoreErrors.isTransient(bug)).isFalse();
        assertThat(StoreErrors.isTransient(new IllegalStateException("no"))).isFalse();
    }
}
