package dev.anet.boot.messaging;

/**
 * Bodies as they are: {@code byte[]}.
 */
public final class ByteArrayMessageConverter implements AnetMessageConverter {

	@Override
	public boolean canConvert(Class<?> type) {
		return type == byte[].class;
	}

	@Override
	public byte[] toBody(Object message) {
		return (byte[]) message;
	}

	@Override
	public <T> T fromBody(byte[] body, Class<T> type) {
		return type.cast(body);
	}

}
