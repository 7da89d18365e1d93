package dev.anet.sample;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.anet.boot.AnetHandler;
import dev.anet.server.ServerConnection;

import org.springframework.stereotype.Component;

/**
 * anet routes that look like an HSM's: a request body starts with a two-letter command code.
 *
 * <ul>
 * <li>{@code NC} (diagnostics): answers {@code ND00} + the LMK check value + the firmware
 * version, as a payment HSM does.</li>
 * <li>{@code EC} (echo): answers the request unchanged.</li>
 * <li>anything else (the default route): answers the request upper-cased.</li>
 * </ul>
 */
@Component
public class HsmHandlers {

	/** Check value of the (pretend) local master key. */
	static final String LMK_CHECK_VALUE = "7324801234567890";

	static final String FIRMWARE = "1500-0910";

	@AnetHandler(prefix = "NC")
	public byte[] diagnostics(byte[] request) {
		return ("ND00" + LMK_CHECK_VALUE + FIRMWARE).getBytes(StandardCharsets.US_ASCII);
	}

	@AnetHandler(prefix = "EC")
	public byte[] echo(byte[] request, ServerConnection connection) {
		return request;
	}

	@AnetHandler
	public byte[] upperCase(byte[] request) {
		return new String(request, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
	}

}
