package dev.anet.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A loopback listener whose accept queue is full, so that the kernel drops new SYNs and a dial to
 * it hangs until its timeout. Linux behaves so; a test that needs it is skipped where the platform
 * accepts connections beyond the listen backlog.
 */
public final class SilentListener {

	private SilentListener() {
	}

	/**
	 * Open such a listener.
	 * @param track takes every socket opened here, for the test to close
	 * @return the listener's address
	 * @throws IOException if the listener cannot be opened
	 */
	public static InetSocketAddress open(Consumer<Closeable> track) throws IOException {
		ServerSocket socket = new ServerSocket();
		track.accept(socket);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
		int connected = 0;
		for (int i = 0; i < 16; i++) {
			Socket filler = new Socket();
			track.accept(filler);
			try {
				filler.connect(socket.getLocalSocketAddress(), 500);
				connected++;
			}
			catch (SocketTimeoutException ex) {
				// Linux queues backlog + 1 connections: a timeout before that was a stalled machine
				if (connected >= 2) {
					return (InetSocketAddress) socket.getLocalSocketAddress();
				}
			}
		}
		assumeTrue(false, "this platform accepts connections beyond the listen backlog");
		return null;
	}

}
