package dev.anet.boot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import dev.anet.boot.AnetHandler;
import dev.anet.server.Handler;

/**
 * One route of the {@link AnetRouter}: the requests whose body starts with {@code prefix} go to
 * {@code handler}.
 *
 * @param prefix the leading bytes; empty for the default route
 * @param name the route's name in metrics and logs: the ASCII prefix, {@code 0x} and the hex
 * prefix, or {@code default}
 * @param handler the handler
 * @param description where the handler was declared (bean and method), for start-up messages
 */
record AnetRoute(byte[] prefix, String name, Handler handler, String description) {

	/** The name of the route without a prefix. */
	static final String DEFAULT_NAME = "default";

	/**
	 * Create the route of an annotation.
	 * @param annotation the annotation
	 * @param handler the handler
	 * @param description where the annotation is, for messages
	 * @return the route
	 * @throws IllegalStateException if the prefix is not ASCII, the hex is not hex, or both are
	 * given
	 */
	static AnetRoute of(AnetHandler annotation, Handler handler, String description) {
		String prefix = annotation.prefix();
		String hex = annotation.prefixHex();
		if (!prefix.isEmpty() && !hex.isEmpty()) {
			throw new IllegalStateException(description + " has both prefix \"" + prefix + "\" and prefixHex \"" + hex
					+ "\" on @AnetHandler: keep one of them");
		}
		if (!hex.isEmpty()) {
			byte[] bytes;
			try {
				bytes = HexFormat.of().parseHex(hex);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(description + " has @AnetHandler(prefixHex = \"" + hex
						+ "\"), which is not an even number of hexadecimal digits: write the bytes as in \"0200\" or \"0a0b\"",
						ex);
			}
			return new AnetRoute(bytes, "0x" + HexFormat.of().formatHex(bytes), handler, description);
		}
		if (!prefix.isEmpty()) {
			if (!StandardCharsets.US_ASCII.newEncoder().canEncode(prefix)) {
				throw new IllegalStateException(description + " has @AnetHandler(prefix = \"" + prefix
						+ "\"), which is not ASCII: give the bytes with prefixHex instead");
			}
			return new AnetRoute(prefix.getBytes(StandardCharsets.US_ASCII), prefix, handler, description);
		}
		return new AnetRoute(new byte[0], DEFAULT_NAME, handler, description);
	}

	/**
	 * Return whether the request starts with this route's prefix.
	 * @param request the request body
	 * @return whether it matches
	 */
	boolean matches(byte[] request) {
		byte[] prefix = this.prefix;
		if (request.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (request[i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	AnetRoute withHandler(Handler handler) {
		return new AnetRoute(this.prefix, this.name, handler, this.description);
	}

	boolean isDefault() {
		return this.prefix.length == 0;
	}

	@Override
	public String toString() {
		return "route '" + this.name + "' (" + this.description + ")";
	}

}
