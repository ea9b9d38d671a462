package tracker.serve;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's files, served from the jar: its own pages and scripts
 * ({@code src/main/resources/tracker/dashboard}) and uPlot from its webjar. Nothing comes from a
 * CDN: cluster nodes and lab machines are often offline. The files hold no data; every number on a
 * page comes from the API with the key the user signed in with.
 */
final class Dashboard {
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final String OWN = "tracker/dashboard/";

    /**
     * Scripts only from this server, no inline script or style attribute that a crafted name could
     * inject, no framing (clickjacking of the admin buttons), no plugins, no form posts elsewhere.
     */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private record Asset(byte[] bytes, String type) {
    }

    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    Reply serve(Request r) {
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            return Reply.error(405, 2, "usage", r.method() + " is not allowed on " + r.path(), "the dashboard's pages are read with GET")
                    .withHeader("Allow", "GET");
        }
        List<String> s = r.segments();
        String resource;
        if (s.isEmpty() || s.equals(List.of("index.html"))) {
            resource = OWN + "index.html";
        } else if (s.size() == 3 && s.get(0).equals("assets") && s.get(1).equals("uplot") && safe(s.get(2))) {
            resource = UPLOT + s.get(2);
        } else if (s.size() == 2 && s.get(0).equals("assets") && safe(s.get(1))) {
            resource = OWN + s.get(1);
        } else {
            return Reply.text(404, "text/plain", "not found: " + r.path() + "\n");
        }
        Asset a = cache.computeIfAbsent(resource, Dashboard::load);
        if (a.bytes() == null) {
            return Reply.text(404, "text/plain", "not found: " + r.path() + "\n");
        }
        return new Reply(200, a.type(), Map.of("Cache-Control", "no-cache"), a.bytes(), 0);
    }

    private static boolean safe(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") && !name.contains("..");
    }

    private static Asset load(String resource) {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return new Asset(null, null);
            }
            return new Asset(in.readAllBytes(), type(resource));
        } catch (IOException e) {
            return new Asset(null, null);
        }
    }

    private static String type(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            default -> "application/octet-stream";
        };
    }

    /** The headers every reply carries: no sniffing, no referrer, no framing; pages get the script policy, API replies are never cached. */
    static Reply secured(Reply r, boolean page) {
        Reply s = r.withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Content-Security-Policy", page ? POLICY : "default-src 'none'; frame-ancestors 'none'");
        return page ? s : s.withHeader("Cache-Control", "no-store");
    }
}
