package dev.anet.boot.test;

import java.time.Duration;
import java.util.function.Function;

/**
 * What an expectation of a {@link MockAnetServer} does with the requests it takes; without a call
 * to one of these methods it answers nothing.
 */
public interface ResponseActions {

	/**
	 * Respond as the creator says.
	 * @param creator makes the response
	 * @see AnetResponseCreators
	 */
	void andRespond(AnetResponseCreator creator);

	/**
	 * Answer with these bytes.
	 * @param body the answer
	 */
	default void andRespond(byte[] body) {
		andRespond(AnetResponseCreators.respond(body));
	}

	/**
	 * Answer with this ASCII text.
	 * @param body the answer
	 */
	default void andRespond(String body) {
		andRespond(AnetResponseCreators.respond(body));
	}

	/**
	 * Answer with what the function makes of the request.
	 * @param answer makes the answer
	 */
	default void andRespond(Function<byte[], byte[]> answer) {
		andRespond(AnetResponseCreators.respond(answer));
	}

	/**
	 * Answer with these bytes once the delay has passed.
	 * @param delay how long to wait
	 * @param body the answer
	 */
	default void andRespondAfter(Duration delay, byte[] body) {
		andRespond(AnetResponseCreators.respondAfter(delay, body));
	}

	/**
	 * Answer with this ASCII text once the delay has passed.
	 * @param delay how long to wait
	 * @param body the answer
	 */
	default void andRespondAfter(Duration delay, String body) {
		andRespond(AnetResponseCreators.respondAfter(delay, body));
	}

	/**
	 * Answer with what the function makes of the request once the delay has passed.
	 * @param delay how long to wait
	 * @param answer makes the answer
	 */
	default void andRespondAfter(Duration delay, Function<byte[], byte[]> answer) {
		andRespond(AnetResponseCreators.respondAfter(delay, answer));
	}

	/** Answer nothing: the caller's request times out. */
	default void andNoAnswer() {
		andRespond(AnetResponseCreators.noAnswer());
	}

	/** Close the connection (FIN) instead of answering. */
	default void andCloseConnection() {
		andRespond(AnetResponseCreators.closeConnection());
	}

	/** Reset the connection (RST) instead of answering. */
	default void andResetConnection() {
		andRespond(AnetResponseCreators.resetConnection());
	}

}
