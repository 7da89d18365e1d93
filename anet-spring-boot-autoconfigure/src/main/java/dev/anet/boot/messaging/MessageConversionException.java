package dev.anet.boot.messaging;

import dev.anet.AnetException;
import org.jspecify.annotations.Nullable;

/**
 * A message body could not be converted to or from an object.
 */
public class MessageConversionException extends AnetException {

	public MessageConversionException(String message) {
		super(message);
	}

	public MessageConversionException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
