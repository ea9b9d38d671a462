package tracker.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The HTTP/1.1 front of {@code tracker serve}, on netty (already in the jar for the embedded
 * database). Netty's event loop only parses and writes; every request is answered on a thread of
 * {@code workers}, because answering means blocking calls to MongoDB. A request body is capped at
 * {@link #MAX_BODY} bytes (a log batch of that size is thousands of epochs; send more in parts).
 */
public final class HttpServer implements AutoCloseable {
    public static final int MAX_BODY = 16 * 1024 * 1024;

    /** Answers one request; called on a worker thread, may block. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Request request);
    }

    private final EventLoopGroup loops;
    private final ExecutorService workers;
    private final Channel channel;

    private HttpServer(EventLoopGroup loops, ExecutorService workers, Channel channel) {
        this.loops = loops;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Listens on {@code bind:port} (port 0: any free one), with TLS when {@code tls} is not null.
     * {@code log} gets one line per request: remote, method, path (never the query: it may hold a
     * run's token), status, milliseconds.
     */
    public static HttpServer start(String bind, int port, SslContext tls, int threads, Handler handler, Consumer<String> log)
            throws InterruptedException {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tracker-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(loops)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, 120, TimeUnit.SECONDS) {
                                @Override
                                protected void channelIdle(ChannelHandlerContext ctx, io.netty.handler.timeout.IdleStateEvent e) {
                                    ctx.close(); // a keep-alive connection nobody uses any more
                                }
                            });
                            ch.pipeline().addLast(new HttpServerCodec(8192, 16 * 1024, 8192));
                            ch.pipeline().addLast(new HttpServerExpectContinueHandler());
                            ch.pipeline().addLast(new Aggregator(log));
                            ch.pipeline().addLast(new Dispatch(workers, handler, log));
                        }
                    });
            Channel channel = b.bind(bind, port).sync().channel();
            return new HttpServer(loops, workers, channel);
        } catch (InterruptedException | RuntimeException e) {
            stop(workers, loops);
            throw e;
        } catch (Exception e) { // netty rethrows the bind's own exception unchecked: a BindException when the port is taken
            stop(workers, loops);
            throw e instanceof IOException io ? new UncheckedIOException(io.getMessage(), io) : new IllegalStateException(e);
        }
    }

    /** Stops what {@link #start} started when it cannot listen: no thread of a server that never was may keep a JVM alive. */
    private static void stop(ExecutorService workers, EventLoopGroup loops) {
        workers.shutdownNow();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Blocks until the listening socket closes (by {@link #close()}, e.g. from a shutdown hook). */
    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Copies each request out of netty's buffers and answers it on a worker thread. */
    private static final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ExecutorService workers;
        private final Handler handler;
        private final Consumer<String> log;

        Dispatch(ExecutorService workers, Handler handler, Consumer<String> log) {
            this.workers = workers;
            this.handler = handler;
            this.log = log;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            long t0 = System.nanoTime();
            boolean keepAlive = HttpUtil.isKeepAlive(msg);
            String remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "?";
            if (!msg.decoderResult().isSuccess()) {
                write(ctx, Dashboard.secured(Reply.error(400, 2, "usage", "malformed HTTP request", null), false), false, t0,
                        msg.method().name(), "?", remote);
                return;
            }
            QueryStringDecoder q = new QueryStringDecoder(msg.uri());
            String rawPath = q.rawPath();
            List<String> segments;
            Map<String, List<String>> query;
            try {
                segments = segments(rawPath);
                query = q.parameters();
            } catch (IllegalArgumentException e) { // a bad %-escape: answered, not a dropped connection
                write(ctx, Dashboard.secured(Reply.error(400, 2, "usage", "malformed URL: " + e.getMessage(),
                        "percent-encode reserved characters in paths and parameters (curl --data-urlencode)"), false), keepAlive, t0,
                        msg.method().name(), "?", remote);
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            msg.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue(), (x, y) -> x + ", " + y));
            Request request = new Request(msg.method().name(), rawPath, segments, query, headers, ByteBufUtil.getBytes(msg.content()), remote);
            try {
                workers.execute(() -> {
                    Reply reply;
                    try {
                        reply = handler.handle(request);
                    } catch (RuntimeException e) {
                        reply = Reply.error(500, 1, "internal", "internal error: " + e, "see the server's log");
                        e.printStackTrace();
                    }
                    Reply r = reply;
                    if (r.delayMillis() > 0) {
                        ctx.executor().schedule(() -> write(ctx, r, keepAlive, t0, request.method(), rawPath, remote), r.delayMillis(),
                                TimeUnit.MILLISECONDS);
                    } else {
                        write(ctx, r, keepAlive, t0, request.method(), rawPath, remote);
                    }
                });
            } catch (RejectedExecutionException e) {
                write(ctx, Dashboard.secured(Reply.error(503, 5, "unreachable", "the server is shutting down",
                        "retry against another server or later"), false), false, t0, request.method(), rawPath, remote);
            }
        }

        private void write(ChannelHandlerContext ctx, Reply r, boolean keepAlive, long t0, String method, String path, String remote) {
            HttpServer.write(ctx, r, keepAlive, t0, method, path, remote, log);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset connection, a TLS handshake that failed: nothing to answer
        }
    }

    /** Writes a reply (and its access-log line first, so a client that has its answer finds the request in the log). */
    static void write(ChannelHandlerContext ctx, Reply r, boolean keepAlive, long t0, String method, String path, String remote,
                      Consumer<String> log) {
        // HEAD: the headers of the GET, no body (a body would be read as the next response on a kept-alive connection)
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                method.equals("HEAD") ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        log.accept(String.format("%s %s %s %d %.0fms", remote, method, path, r.status(), (System.nanoTime() - t0) / 1e6));
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Refuses a body over {@link #MAX_BODY} with the API's JSON error and headers (netty's own 413
     * has neither), keeping the connection when netty would: it then skips the rest of the body.
     */
    private static final class Aggregator extends HttpObjectAggregator {
        private final Consumer<String> log;

        Aggregator(Consumer<String> log) {
            super(MAX_BODY);
            this.log = log;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            if (!(oversized instanceof HttpRequest request)) {
                super.handleOversizedMessage(ctx, oversized);
                return;
            }
            boolean keepAlive = !(oversized instanceof FullHttpMessage)
                    && (HttpUtil.is100ContinueExpected(oversized) || HttpUtil.isKeepAlive(oversized));
            String remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "?";
            write(ctx, Dashboard.secured(Reply.error(413, 2, "usage", "the request body is larger than " + (MAX_BODY >> 20) + " MiB",
                    "send it in parts: several log requests of a few thousand lines each"), false), keepAlive, System.nanoTime(),
                    request.method().name(), new QueryStringDecoder(request.uri()).rawPath(), remote, log);
        }
    }

    /** "/api/v1/runs/a%2Fb/c" -> [api, v1, runs, a/b, c]: split first, then decode, so an encoded slash stays in its segment. */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(QueryStringDecoder.decodeComponent(s));
            }
        }
        return out;
    }
}
