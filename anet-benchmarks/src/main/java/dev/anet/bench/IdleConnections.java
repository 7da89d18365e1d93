package dev.anet.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import dev.anet.frame.Frames;
import org.jspecify.annotations.Nullable;

/**
 * Plain sockets to an anet echo server, held open without a thread each, for the {@code idle}
 * command: opened from a few threads, then, at the end, each checked with one echo of its own (a
 * connection the server closed, or stopped serving, fails that check).
 */
final class IdleConnections implements AutoCloseable {

	private static final int ERRORS_LOGGED = 5;

	private final InetSocketAddress address;

	private final int threads;

	private final PrintWriter err;

	private final @Nullable Socket[] sockets;

	private final AtomicInteger errorsLogged = new AtomicInteger();

	/**
	 * @param address the server
	 * @param count connections to open
	 * @param threads threads that open (and later check) them
	 * @param err where the first failures are reported
	 */
	IdleConnections(InetSocketAddress address, int count, int threads, PrintWriter err) {
		this.address = address;
		this.threads = threads;
		this.err = err;
		this.sockets = new Socket[count];
	}

	/**
	 * Open every connection: connection {@code i} is opened by thread {@code i % threads}.
	 * @param dialTimeoutMillis connect timeout of each
	 * @param deadline no connection is opened after this {@link System#nanoTime()}
	 * @return connections opened
	 * @throws InterruptedException if interrupted while waiting for the threads
	 */
	int open(int dialTimeoutMillis, long deadline) throws InterruptedException {
		AtomicInteger opened = new AtomicInteger();
		forEach("idle-opener", deadline, (i) -> {
			Socket socket = new Socket();
			try {
				socket.setTcpNoDelay(true);
				socket.connect(this.address, dialTimeoutMillis);
				this.sockets[i] = socket;
				opened.incrementAndGet();
				return true;
			}
			catch (IOException ex) {
				closeQuietly(socket);
				report("connection " + i + " to " + this.address + " could not be opened: " + ex);
				return false;
			}
		});
		return opened.get();
	}

	/**
	 * What {@link #verify} found.
	 *
	 * @param verified connections that answered with their own echo
	 * @param failed connections whose echo failed (closed, reset, timed out, wrong answer)
	 */
	record Check(int verified, int failed) {
	}

	/**
	 * Send one request on every open connection ({@code task id = i + 1}, body = {@code i}) and check
	 * that its own echo comes back. Open connections left out of both counts were not checked
	 * before the deadline.
	 * @param timeoutMillis how long each answer may take
	 * @param deadline no check starts after this {@link System#nanoTime()}
	 * @return what was found
	 * @throws InterruptedException if interrupted while waiting for the threads
	 */
	Check verify(int timeoutMillis, long deadline) throws InterruptedException {
		AtomicInteger verified = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		forEach("idle-checker", deadline, (i) -> {
			Socket socket = this.sockets[i];
			if (socket == null) {
				return false;
			}
			try {
				if (echo(socket, i, timeoutMillis)) {
					verified.incrementAndGet();
					return true;
				}
				report("connection " + i + " (" + socket.getLocalSocketAddress() + ") answered with something else than its echo");
			}
			catch (IOException ex) {
				report("connection " + i + " (" + socket.getLocalSocketAddress() + ") failed its echo: " + ex);
			}
			failed.incrementAndGet();
			return false;
		});
		return new Check(verified.get(), failed.get());
	}

	@Override
	public void close() {
		for (Socket socket : this.sockets) {
			if (socket != null) {
				closeQuietly(socket);
			}
		}
	}

	private static boolean echo(Socket socket, int i, int timeoutMillis) throws IOException {
		socket.setSoTimeout(timeoutMillis);
		byte[] body = ByteBuffer.allocate(8).putLong(i).array();
		OutputStream out = socket.getOutputStream();
		out.write(Frames.encode(i + 1, body));
		out.flush();
		InputStream in = socket.getInputStream();
		DataInputStream data = new DataInputStream(in);
		int length = data.readUnsignedShort();
		if (length != Frames.TASK_ID_SIZE + body.length) {
			return false;
		}
		int taskId = data.readInt();
		byte[] answer = new byte[body.length];
		data.readFully(answer);
		return taskId == i + 1 && Arrays.equals(answer, body);
	}

	/** Run {@code task} for every index, spread over the threads; a thread stops at the deadline. */
	private void forEach(String name, long deadline, IntPredicate task) throws InterruptedException {
		int n = this.sockets.length;
		Thread[] workers = new Thread[Math.min(this.threads, Math.max(1, n))];
		for (int t = 0; t < workers.length; t++) {
			int first = t;
			workers[t] = new Thread(() -> {
				for (int i = first; i < n && System.nanoTime() - deadline < 0; i += workers.length) {
					task.test(i);
				}
			}, name + "-" + t);
			workers[t].setDaemon(true);
			workers[t].start();
		}
		for (Thread worker : workers) {
			// each step is bounded by its own timeout; this bound only guards against a stuck one
			long left = deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			if (left > 0) {
				TimeUnit.NANOSECONDS.timedJoin(worker, left);
			}
		}
	}

	private void report(String message) {
		if (this.errorsLogged.getAndIncrement() < ERRORS_LOGGED) {
			synchronized (this.err) {
				this.err.println("idle: " + message);
				this.err.flush();
			}
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing: nothing to do
		}
	}

}
