package dev.anet.boot.test.slice;

import java.nio.charset.StandardCharsets;

import dev.anet.boot.AnetHandler;

import org.springframework.stereotype.Component;

/**
 * Method handlers: echo, binary, and one that answers nothing.
 */
@Component
public class EchoHandlers {

	@AnetHandler(prefix = "EC")
	byte[] echo(byte[] request) {
		return request;
	}

	@AnetHandler(prefixHex = "0200")
	byte[] authorize(byte[] request) {
		byte[] answer = request.clone();
		answer[1] = 0x10;
		return answer;
	}

	@AnetHandler(prefix = "LOG")
	void log(byte[] request) {
		// no answer
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.US_ASCII);
	}

}
