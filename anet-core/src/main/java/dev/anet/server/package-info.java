/**
 * An embeddable anet server: blocking accept, one reader per connection, handlers run
 * concurrently or answer later, answers batched into few writes, graceful stop.
 *
 * <p>
 * The API is {@link dev.anet.server.AnetServer}, {@link dev.anet.server.ServerConfig},
 * {@link dev.anet.server.Handler} and {@link dev.anet.server.AsyncHandler},
 * {@link dev.anet.server.HandlerInterceptor} (with {@link dev.anet.server.HandlerInvocation} and
 * {@link dev.anet.server.AsyncHandlerInvocation}), {@link dev.anet.server.ServerConnection},
 * {@link dev.anet.server.ServerListener} and {@link dev.anet.server.HandlerOutcome}. Every other
 * class is package-private and is one step of the request path, read from the top:
 *
 * <pre>
 *  Acceptor           anet-accept: bind, accept, refuse over maxConns, TLS engine, start the reader
 *     │ Connections    open: a Connection (what a handler sees, its write slots, timing, close)
 *     ▼
 *  ConnectionReader   anet-conn-&lt;addr&gt;-reader (TLS handshake first): read ──► frames ──► per frame:
 *     │                 take a write slot        (Permits, writeQueueDepth)        ┐ none free: stop
 *     │                 take a handler permit    (Permits, maxConcurrentHandlers)  ┘ reading, wait
 *     ▼
 *  Dispatcher         where it runs:  on the reader        (InlineRole: quick so far; InlineMonitor
 *     │                                                     hands a slow one's reader role over)
 *     │                               on a handler thread  (HandlerPool, handlerExecutor or virtual)
 *     ▼
 *  RequestTask        HandlerChain (interceptors, handler) ──► permit back ──► the answer:
 *     │                 Handler:       at once
 *     │                 AsyncHandler:  when its stage completes, on that thread; no thread waits
 *     │                                (PendingAsync: maxPendingAsync, abandoned at stop)
 *     ▼
 *  AnswerWriter       queue ──► one gathering write (flat combining) ──► Connection: slots back
 *
 *  Watchdog           anet-server-watchdog: readTimeout, writeTimeout, idleTimeout ──► close
 *  AnetServer.stop()  Draining ──► shut input ──► wait (shutdownTimeout) ──► abandon ──► close all
 * </pre>
 *
 * <p>
 * Each of these is decided in one place:
 * <ul>
 * <li><b>Where a request runs</b>: {@code Dispatcher.dispatch} (on the connection's reader while
 * {@code InlineRole.allowed()}, else on a handler thread).</li>
 * <li><b>When a connection stops being read</b>: {@code ConnectionReader.take}, when its write
 * slots or the server's handler permits are all taken; for good at the end of input, when the
 * server stops ({@code Draining}) or when it closes.</li>
 * <li><b>When it is closed</b>: {@code Connection.close()}, which every close goes through; the
 * end of input closes it once its last write slot comes back ({@code Connection.inputEnded}),
 * the {@code Watchdog} on a timeout, the reader on bad input or a failed read, the writer on a
 * failed write, {@code AnetServer.stop()} for what is left.</li>
 * <li><b>How an answer is written</b>: {@code AnswerWriter} (who writes when: the thread with the
 * answer, the last queued sibling when it starts, or the reader at the end of its read).</li>
 * </ul>
 *
 * <p>
 * Dependencies run one way, down the picture: no class uses a class that uses it. Where a step
 * must tell an earlier one something, it does so through a small interface that the earlier one
 * implements ({@code Connection.Closed}, {@code AnswerWriter.Written}, {@code AnswerWriter.Answer},
 * {@code InlineRole.Reader}, {@code InlineMonitor.Watched}, {@code HandlerPool.Job},
 * {@code PendingAsync.Pending}). The requests of one server share {@code RequestTask.Shared} (the
 * chain, the listener, the handler permits, the pending async requests).
 */
@NullMarked
package dev.anet.server;

import org.jspecify.annotations.NullMarked;
