package dev.anet.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.anet.frame.FrameReader;
import dev.anet.frame.Frames;
import dev.anet.frame.InvalidFrameException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of a {@link MockAnetServer}: an accept thread, a reader thread per connection
 * that decodes frames with anet-core's {@link FrameReader}, and a timer thread for delayed answers.
 * Answers carry the request's task id; the writes of one connection never interleave.
 */
final class MockAnetEndpoint implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(MockAnetServer.class);

	private final ServerSocketChannel listener;

	private final Function<byte[], @Nullable AnetResponseCreator> script;

	private final Set<Peer> peers = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final ScheduledExecutorService timer;

	private volatile boolean closed;

	MockAnetEndpoint(InetSocketAddress address, Function<byte[], @Nullable AnetResponseCreator> script) {
		this.script = script;
		try {
			this.listener = ServerSocketChannel.open();
			this.listener.bind(address);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to start MockAnetServer on " + address, ex);
		}
		int port = port();
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "mock-anet-" + port + "-timer"));
		daemon(this::acceptLoop, "mock-anet-" + port + "-accept").start();
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	int port() {
		return ((InetSocketAddress) localAddress()).getPort();
	}

	InetSocketAddress localAddress() {
		try {
			return (InetSocketAddress) this.listener.getLocalAddress();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int acceptedConnections() {
		return this.accepted.get();
	}

	int openConnections() {
		return this.peers.size();
	}

	/** Close every open connection (FIN); the server keeps listening. */
	void closeConnections() {
		for (Peer peer : this.peers) {
			peer.close(false);
		}
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				SocketChannel channel = this.listener.accept();
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				Peer peer = new Peer(channel, this.accepted.incrementAndGet());
				this.peers.add(peer);
				if (this.closed) {
					peer.close(false);
					return;
				}
				daemon(peer::readLoop, "mock-anet-" + port() + "-conn-" + peer.id).start();
			}
			catch (IOException ex) {
				if (!this.closed) {
					logger.warn("MockAnetServer stopped accepting", ex);
				}
				return;
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the MockAnetServer listener failed", ex);
		}
		closeConnections();
		this.timer.shutdownNow();
	}

	/** One accepted connection. */
	private final class Peer {

		private final SocketChannel channel;

		private final int id;

		private final Object writeLock = new Object();

		Peer(SocketChannel channel, int id) {
			this.channel = channel;
			this.id = id;
		}

		void readLoop() {
			FrameReader reader = new FrameReader(8192, FrameReader.DEFAULT_BUFFER_SIZE);
			try {
				while (reader.read(this.channel, this::onFrame) >= 0) {
					// frames are handled as they are decoded
				}
			}
			catch (InvalidFrameException ex) {
				logger.warn("MockAnetServer closes connection {}: {}", this.id, ex.getMessage());
			}
			catch (IOException ex) {
				logger.debug("MockAnetServer connection {} ended", this.id, ex);
			}
			finally {
				close(false);
			}
		}

		private void onFrame(int taskId, byte[] body) {
			AnetResponseCreator creator = MockAnetEndpoint.this.script.apply(body);
			if (creator == null) {
				return;
			}
			AnetResponse response = creator.createResponse(body);
			switch (response.action()) {
				case ANSWER -> answer(taskId, response);
				case NO_ANSWER -> {
				}
				case CLOSE_CONNECTION -> close(false);
				case RESET_CONNECTION -> close(true);
			}
		}

		private void answer(int taskId, AnetResponse response) {
			byte[] body = response.body();
			if (body == null) {
				return;
			}
			if (response.delay().isZero()) {
				write(taskId, body);
			}
			else {
				MockAnetEndpoint.this.timer.schedule(() -> write(taskId, body), response.delay().toNanos(),
						TimeUnit.NANOSECONDS);
			}
		}

		private void write(int taskId, byte[] body) {
			ByteBuffer frame = ByteBuffer.wrap(Frames.encode(taskId, body));
			synchronized (this.writeLock) {
				try {
					while (frame.hasRemaining()) {
						this.channel.write(frame);
					}
				}
				catch (IOException ex) {
					logger.debug("MockAnetServer could not answer on connection {}", this.id, ex);
				}
			}
		}

		void close(boolean reset) {
			MockAnetEndpoint.this.peers.remove(this);
			synchronized (this.writeLock) {
				try {
					if (reset) {
						this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
					}
					else if (this.channel.isOpen()) {
						this.channel.shutdownOutput();
					}
				}
				catch (IOException ex) {
					logger.debug("MockAnetServer connection {}: {}", this.id, ex.toString());
				}
				try {
					this.channel.close();
				}
				catch (IOException ex) {
					logger.debug("Closing MockAnetServer connection {} failed", this.id, ex);
				}
			}
		}

	}

}
