package dev.anet.boot.autoconfigure;

/**
 * The anet server could not start because {@code anet.server.address} cannot be resolved, or is
 * not an address of this machine.
 */
public class AnetServerAddressException extends RuntimeException {

	private final String address;

	private final int port;

	/**
	 * Create an exception.
	 * @param address the value of {@code anet.server.address}
	 * @param port the port
	 * @param cause the core's failure
	 */
	public AnetServerAddressException(String address, int port, Throwable cause) {
		super("Failed to start anet server on port " + port + ": anet.server.address '" + address
				+ "' is not an address of this machine (" + cause.getCause() + ")", cause);
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
