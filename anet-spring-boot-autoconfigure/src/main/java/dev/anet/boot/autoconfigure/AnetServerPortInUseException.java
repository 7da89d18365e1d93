package dev.anet.boot.autoconfigure;

import java.net.BindException;

/**
 * The anet server could not start because its port is in use.
 */
public class AnetServerPortInUseException extends RuntimeException {

	private final String address;

	private final int port;

	/**
	 * Create an exception.
	 * @param address the address the server tried to bind
	 * @param port the port
	 * @param cause the core's failure, with the {@link BindException} as its cause
	 */
	public AnetServerPortInUseException(String address, int port, Throwable cause) {
		super("Failed to start anet server on port " + port + ": port " + port + " on " + address
				+ " is already in use", cause);
		this.address = address;
		this.port = port;
	}

	public String getAddress() {
		return this.address;
	}

	public int getPort() {
		return this.port;
	}

}
