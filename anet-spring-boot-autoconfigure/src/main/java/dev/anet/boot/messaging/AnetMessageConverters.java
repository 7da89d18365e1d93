package dev.anet.boot.messaging;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The converters in use, asked in order: the first that converts a type wins. Made of the
 * application's converters followed by the built-in {@link ByteArrayMessageConverter} and
 * {@link StringMessageConverter}.
 */
public final class AnetMessageConverters {

	private final List<AnetMessageConverter> converters;

	/**
	 * Create the converters.
	 * @param converters the converters, in order (the built-ins are not added)
	 */
	public AnetMessageConverters(List<? extends AnetMessageConverter> converters) {
		Assert.notNull(converters, "'converters' must not be null");
		this.converters = List.copyOf(converters);
	}

	/**
	 * Return the application's converters followed by the built-in ones.
	 * @param converters the application's converters, in order
	 * @param stringConverter the built-in {@code String} converter
	 * @return the converters
	 */
	public static AnetMessageConverters withDefaults(List<? extends AnetMessageConverter> converters,
			StringMessageConverter stringConverter) {
		List<AnetMessageConverter> all = new ArrayList<>(converters);
		all.add(new ByteArrayMessageConverter());
		all.add(stringConverter);
		return new AnetMessageConverters(all);
	}

	/**
	 * Return the built-in converters only, {@code String} in {@code US-ASCII}.
	 * @return the converters
	 */
	public static AnetMessageConverters defaults() {
		return withDefaults(List.of(), new StringMessageConverter());
	}

	public List<AnetMessageConverter> getConverters() {
		return this.converters;
	}

	/**
	 * Return whether a converter converts the type.
	 * @param type the type
	 * @return whether it is converted
	 */
	public boolean canConvert(Class<?> type) {
		return find(type) != null;
	}

	/**
	 * Write an object as a body.
	 * @param message the object
	 * @return the body
	 * @throws MessageConversionException if no converter converts its type
	 */
	public byte[] toBody(Object message) {
		Assert.notNull(message, "'message' must not be null");
		if (message instanceof byte[] bytes) {
			return bytes;
		}
		return converter(message.getClass()).toBody(message);
	}

	/**
	 * Read a body as an object.
	 * @param <T> the type
	 * @param body the body
	 * @param type the type
	 * @return the object
	 * @throws MessageConversionException if no converter converts the type
	 */
	public <T> T fromBody(byte[] body, Class<T> type) {
		if (type == byte[].class) {
			return type.cast(body);
		}
		return converter(type).fromBody(body, type);
	}

	private AnetMessageConverter converter(Class<?> type) {
		AnetMessageConverter converter = find(type);
		if (converter == null) {
			throw new MessageConversionException("No AnetMessageConverter converts " + type.getName()
					+ ": declare an AnetMessageConverter bean for it (there are " + this.converters + ")");
		}
		return converter;
	}

	private @Nullable AnetMessageConverter find(Class<?> type) {
		for (AnetMessageConverter converter : this.converters) {
			if (converter.canConvert(type)) {
				return converter;
			}
		}
		return null;
	}

}
