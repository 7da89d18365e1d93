package dev.anet.broker;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One send as {@link BrokerInterceptor}s see it: the request (as replaced so far), the caller's
 * timeout, whether it is a {@code sendAsync}, and attributes the interceptors keep between their
 * calls. Not thread-safe: its calls happen one after the other, though for {@code sendAsync} not
 * all on the same thread.
 */
public final class BrokerExchange {

	private byte[] request;

	private final @Nullable Duration timeout;

	private final boolean async;

	private @Nullable String firstName;

	private @Nullable Object firstValue;

	private @Nullable Map<String, Object> attributes;

	private int taskId;

	private @Nullable InetSocketAddress remoteAddress;

	BrokerExchange(byte[] request, @Nullable Duration timeout, boolean async) {
		this.request = request;
		this.timeout = timeout;
		this.async = async;
	}

	/**
	 * Return the request: before the send as the interceptors so far left it, after the send as it
	 * was sent.
	 * @return the request body
	 */
	public byte[] request() {
		return this.request;
	}

	void request(byte[] request) {
		this.request = request;
	}

	/**
	 * Return the task id the request was written with; known in {@code afterAnswer} and
	 * {@code onFailure}.
	 * @return the task id (read it unsigned), or 0 if the request was never written
	 */
	public int taskId() {
		return this.taskId;
	}

	/**
	 * Return the address of the connection the request was written to; known in
	 * {@code afterAnswer} and {@code onFailure}.
	 * @return the address, or {@code null} if the request was never written
	 */
	public @Nullable InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	/** The request is done: keep where it went. */
	void sent(Request request) {
		this.taskId = request.taskId;
		Multiplexer mux = request.multiplexer;
		this.remoteAddress = (mux != null) ? mux.connection().address() : null;
	}

	/**
	 * Return the caller's timeout.
	 * @return the timeout, or {@code null} when the caller gave none ({@code readTimeout} applies)
	 */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	/**
	 * Return whether this is a {@code sendAsync}.
	 * @return whether the caller does not wait
	 */
	public boolean isAsync() {
		return this.async;
	}

	/**
	 * Return an attribute an interceptor stored on this send.
	 * @param name the name
	 * @return the value, or {@code null}
	 */
	public @Nullable Object getAttribute(String name) {
		if (name.equals(this.firstName)) {
			return this.firstValue;
		}
		Map<String, Object> attributes = this.attributes;
		return (attributes != null) ? attributes.get(name) : null;
	}

	/**
	 * Store an attribute on this send.
	 * @param name the name
	 * @param value the value, or {@code null} to remove it
	 */
	public void setAttribute(String name, @Nullable Object value) {
		if (this.firstName == null || name.equals(this.firstName)) {
			// most sends carry one attribute (an observation): no map for it
			this.firstName = (value != null) ? name : null;
			this.firstValue = value;
			if (this.attributes != null) {
				this.attributes.remove(name);
			}
			return;
		}
		if (value == null) {
			if (this.attributes != null) {
				this.attributes.remove(name);
			}
			return;
		}
		if (this.attributes == null) {
			this.attributes = new HashMap<>(4);
		}
		this.attributes.put(name, value);
	}

}
