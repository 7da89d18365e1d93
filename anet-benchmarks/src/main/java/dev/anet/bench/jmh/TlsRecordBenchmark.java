package dev.anet.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import dev.anet.bench.TlsOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One TLS 1.3 record through the JDK's {@code SSLEngine}: the client wraps {@code size} bytes, the
 * server unwraps them (no network). Parameterised by cipher suite and by the kind of the record
 * buffers ({@code heap} or {@code direct}: the JDK's AES-GCM treats them differently), so that
 * {@code -prof gc} gives the allocation per record of each. The application buffers are direct,
 * as the framing's are. Certificates: {@code -p tlsDir=DIR} (the peers' {@code make-certs.sh DIR}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TlsRecordBenchmark {

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	@Param({ "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384" })
	String suite = "TLS_AES_128_GCM_SHA256";

	@Param({ "heap", "direct" })
	String records = "heap";

	@Param({ "64", "1800", "16384" })
	int size;

	@Param({ "target/peers/target/certs" })
	String tlsDir = "target/peers/target/certs";

	private SSLEngine client;

	private SSLEngine server;

	private ByteBuffer app;

	private ByteBuffer net;

	private ByteBuffer plain;

	@Setup(Level.Trial)
	public void setUp() throws SSLException {
		TlsOptions options = TlsOptions.of(Path.of(this.tlsDir));
		SSLContext serverContext = Objects.requireNonNull(options.server()).sslContext();
		SSLContext clientContext = Objects.requireNonNull(options.client()).sslContext();
		this.client = clientContext.createSSLEngine("localhost", 443);
		this.client.setUseClientMode(true);
		this.client.setEnabledCipherSuites(new String[] { this.suite });
		this.client.setEnabledProtocols(new String[] { "TLSv1.3" });
		this.server = serverContext.createSSLEngine();
		this.server.setUseClientMode(false);
		boolean direct = "direct".equals(this.records);
		int packet = this.client.getSession().getPacketBufferSize();
		this.net = direct ? ByteBuffer.allocateDirect(2 * packet) : ByteBuffer.allocate(2 * packet);
		ByteBuffer back = direct ? ByteBuffer.allocateDirect(2 * packet) : ByteBuffer.allocate(2 * packet);
		this.app = ByteBuffer.allocateDirect(this.size);
		this.plain = ByteBuffer.allocateDirect(Math.max(this.size, this.client.getSession().getApplicationBufferSize()));
		handshake(back);
		if (!this.suite.equals(this.client.getSession().getCipherSuite())) {
			throw new IllegalStateException("negotiated " + this.client.getSession().getCipherSuite());
		}
	}

	@Benchmark
	public int wrapAndUnwrap() throws SSLException {
		this.app.clear();
		this.net.clear();
		this.client.wrap(this.app, this.net);
		this.net.flip();
		this.plain.clear();
		return this.server.unwrap(this.net, this.plain).bytesProduced();
	}

	/** Run the handshake in memory: each engine's output is the other's input. */
	private void handshake(ByteBuffer back) throws SSLException {
		this.client.beginHandshake();
		this.server.beginHandshake();
		ByteBuffer scratch = ByteBuffer.allocate(this.client.getSession().getApplicationBufferSize());
		this.net.clear();
		back.clear();
		for (int i = 0; i < 1000; i++) {
			boolean moved = step(this.client, this.net, back, scratch) | step(this.server, back, this.net, scratch);
			if (!moved && idle(this.client) && idle(this.server)) {
				return;
			}
		}
		throw new IllegalStateException("in-memory handshake did not finish");
	}

	private static boolean idle(SSLEngine engine) {
		return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
	}

	/** One step of one engine: out is its output, in its peer's (both in write mode). */
	private static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer scratch)
			throws SSLException {
		boolean moved = false;
		for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
			task.run();
			moved = true;
		}
		if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
			moved |= engine.wrap(EMPTY, out).bytesProduced() > 0;
		}
		in.flip();
		while (in.hasRemaining()) {
			scratch.clear();
			SSLEngineResult result = engine.unwrap(in, scratch);
			for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
				task.run();
			}
			moved = true;
			if (result.getStatus() != SSLEngineResult.Status.OK
					|| engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
				break;
			}
		}
		in.compact();
		return moved;
	}

}
