package dev.anet.boot.test.slice;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.anet.boot.AnetHandler;
import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;

import org.springframework.stereotype.Component;

/**
 * A class handler on the default route.
 */
@Component
@AnetHandler
public class UpperCaseHandler implements Handler {

	@Override
	public byte[] handle(ServerConnection connection, byte[] request) {
		return new String(request, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)
			.getBytes(StandardCharsets.US_ASCII);
	}

}
