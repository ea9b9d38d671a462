package tracker.store;

import com.mongodb.ConnectionString;

/** Keeps credentials out of everything tracker prints. */
final class Redaction {
    private Redaction() {
    }

    /** The hosts of a connection string, {@code h1:27017,h2:27017}; an SRV name is marked as such. */
    static String hosts(ConnectionString cs) {
        String joined = String.join(",", cs.getHosts());
        return cs.isSrvProtocol() ? joined + " (SRV)" : joined;
    }

    /** Removes the URI's user-info part from a message that may quote it. */
    static String scrub(String message, String uri) {
        if (message == null) {
            return "";
        }
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            String userInfo = uri.substring(scheme + 3, at);
            if (!userInfo.isEmpty()) {
                message = message.replace(userInfo, "***");
                int colon = userInfo.indexOf(':');
                if (colon >= 0 && colon + 1 < userInfo.length()) {
                    message = message.replace(userInfo.substring(colon + 1), "***");
                }
            }
        }
        return message;
    }
}
