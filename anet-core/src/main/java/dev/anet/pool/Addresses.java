package dev.anet.pool;

import java.net.InetSocketAddress;

/**
 * Parses and prints {@code host:port} addresses.
 */
public final class Addresses {

	private Addresses() {
	}

	/**
	 * Parse {@code host:port} (an IPv6 literal goes in brackets: {@code [::1]:9000}).
	 * @param address the address
	 * @return the unresolved-if-needed socket address
	 * @throws IllegalArgumentException if it is not {@code host:port} with a port in 1..65535, or an
	 * IPv6 host is not in brackets
	 */
	public static InetSocketAddress parse(String address) {
		String text = address.trim();
		int colon = text.lastIndexOf(':');
		if (colon <= 0 || colon == text.length() - 1) {
			throw new IllegalArgumentException("Address '" + address + "' is not host:port");
		}
		String host = text.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		else if (host.indexOf(':') >= 0) {
			// without brackets the last colon may belong to the address itself ("::1", "fe80::1:9000")
			throw new IllegalArgumentException(
					"Address '" + address + "' is not host:port: write an IPv6 host in brackets, as in [::1]:9000");
		}
		int port;
		try {
			port = Integer.parseInt(text.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Address '" + address + "' has no numeric port", ex);
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("Address '" + address + "' has port " + port + " outside 1..65535");
		}
		return new InetSocketAddress(host, port);
	}

	/**
	 * Print an address as {@code host:port}, without a reverse lookup.
	 * @param address the address
	 * @return {@code host:port}
	 */
	public static String format(InetSocketAddress address) {
		String host = (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
		return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
	}

}
