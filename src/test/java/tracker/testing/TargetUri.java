package tracker.testing;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.mongodb.ConnectionString;

/**
 * The server a {@link CutProxy} forwards to, and the URI its clients use instead: the same text
 * with the proxy as host. Only the host changes, plus {@code directConnection=true} so that a
 * client of a replica set stays on the proxy instead of connecting to the members it discovers.
 */
record TargetUri(InetSocketAddress address, String userInfo, String path, List<String> options) {
    private static final String SCHEME = "mongodb://";
    private static final int DEFAULT_PORT = 27017;

    static TargetUri parse(String uri) {
        ConnectionString cs = new ConnectionString(uri); // validates, and rejects what we cannot proxy:
        if (cs.isSrvProtocol() || cs.getHosts().size() != 1) {
            throw new IllegalArgumentException("CutProxy forwards to one host given as mongodb://host:port");
        }
        if (!cs.getCompressorList().isEmpty()) {
            throw new IllegalArgumentException("CutProxy cannot read compressed messages; drop 'compressors'");
        }
        String rest = uri.substring(SCHEME.length());
        int authorityEnd = firstOf(rest, '/', '?');
        String authority = rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        String tail = rest.substring(authorityEnd);
        int query = tail.indexOf('?');
        String path = query < 0 ? tail : tail.substring(0, query);
        List<String> options = new ArrayList<>();
        if (query >= 0) {
            for (String option : tail.substring(query + 1).split("&")) {
                if (!option.isEmpty() && !option.toLowerCase(Locale.ROOT).startsWith("directconnection=")) {
                    options.add(option);
                }
            }
        }
        options.add("directConnection=true");
        return new TargetUri(address(cs.getHosts().get(0)), at < 0 ? "" : authority.substring(0, at + 1),
                path.isEmpty() ? "/" : path, options);
    }

    /** Without the user info: it may hold a password. */
    @Override
    public String toString() {
        return "TargetUri[" + address + path + "]";
    }

    String throughProxy(int port) {
        return SCHEME + userInfo + "127.0.0.1:" + port + path + "?" + String.join("&", options);
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || colon < hostPort.lastIndexOf(']')) {
            return new InetSocketAddress(strip(hostPort), DEFAULT_PORT);
        }
        return new InetSocketAddress(strip(hostPort.substring(0, colon)), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** IPv6 literals come bracketed: [::1]. */
    private static String strip(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? (j < 0 ? s.length() : j) : (j < 0 ? i : Math.min(i, j));
    }
}
