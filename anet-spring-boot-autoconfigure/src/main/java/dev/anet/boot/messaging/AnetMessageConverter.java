package dev.anet.boot.messaging;

/**
 * Converts between an anet message body and an object of the application. Declare one as a bean
 * and the {@link AnetTemplate} and {@code @AnetHandler} methods use it for the types it converts
 * (beans in order, before the built-in {@code byte[]} and {@code String} converters).
 */
public interface AnetMessageConverter {

	/**
	 * Return whether this converter reads and writes the type.
	 * @param type the type of a request, an answer, or a handler's parameter or return value
	 * @return whether it converts it
	 */
	boolean canConvert(Class<?> type);

	/**
	 * Write an object as a message body.
	 * @param message an object of a type this converter converts
	 * @return the body (at most 65531 bytes to be sent)
	 * @throws MessageConversionException if it cannot be written
	 */
	byte[] toBody(Object message);

	/**
	 * Read a message body as an object.
	 * @param <T> the type
	 * @param body the body
	 * @param type a type this converter converts
	 * @return the object
	 * @throws MessageConversionException if it cannot be read
	 */
	<T> T fromBody(byte[] body, Class<T> type);

}
