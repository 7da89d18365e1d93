package dev.anet.boot.messaging;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.springframework.util.Assert;

/**
 * Bodies as {@link String}s in one charset ({@code US-ASCII} unless told otherwise, as HSM and
 * ISO 8583 text fields are). A character the charset cannot write fails the conversion instead of
 * sending a {@code ?}.
 */
public final class StringMessageConverter implements AnetMessageConverter {

	private final Charset charset;

	public StringMessageConverter() {
		this(StandardCharsets.US_ASCII);
	}

	public StringMessageConverter(Charset charset) {
		Assert.notNull(charset, "'charset' must not be null");
		this.charset = charset;
	}

	public Charset getCharset() {
		return this.charset;
	}

	@Override
	public boolean canConvert(Class<?> type) {
		return type == String.class;
	}

	@Override
	public byte[] toBody(Object message) {
		String text = (String) message;
		try {
			ByteBuffer buffer = this.charset.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(text));
			byte[] body = new byte[buffer.remaining()];
			buffer.get(body);
			return body;
		}
		catch (CharacterCodingException ex) {
			throw new MessageConversionException("Cannot write a String of " + text.length() + " characters in "
					+ this.charset + ": it holds a character the charset does not have", ex);
		}
	}

	@Override
	public <T> T fromBody(byte[] body, Class<T> type) {
		return type.cast(new String(body, this.charset));
	}

}
