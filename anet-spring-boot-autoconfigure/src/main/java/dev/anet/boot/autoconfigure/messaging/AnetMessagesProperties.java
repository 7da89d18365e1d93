package dev.anet.boot.autoconfigure.messaging;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Typed messages ({@code anet.messages.*}).
 */
@ConfigurationProperties("anet.messages")
public class AnetMessagesProperties {

	/**
	 * Charset of String requests, answers and handler parameters.
	 */
	private Charset charset = StandardCharsets.US_ASCII;

	public Charset getCharset() {
		return this.charset;
	}

	public void setCharset(Charset charset) {
		this.charset = charset;
	}

}
