package dev.anet.boot.test;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Static factories of {@link AnetResponseCreator}s for {@link ResponseActions#andRespond}.
 *
 * <pre class="code">
 * import static dev.anet.boot.test.AnetRequestMatchers.prefix;
 * import static dev.anet.boot.test.AnetResponseCreators.respondAfter;
 *
 * server.expect(prefix("A0")).andRespond(respondAfter(Duration.ofMillis(200), "A100"));
 * </pre>
 */
public final class AnetResponseCreators {

	private AnetResponseCreators() {
	}

	/**
	 * Answer with these bytes.
	 * @param body the answer
	 * @return the creator
	 */
	public static AnetResponseCreator respond(byte[] body) {
		byte[] answer = Objects.requireNonNull(body, "body").clone();
		return new AnetResponseCreator((request) -> AnetResponse.answer(answer, Duration.ZERO));
	}

	/**
	 * Answer with this ASCII text.
	 * @param body the answer
	 * @return the creator
	 */
	public static AnetResponseCreator respond(String body) {
		return respond(Bytes.ascii(Objects.requireNonNull(body, "body")));
	}

	/**
	 * Answer with what the function makes of the request.
	 * @param answer makes the answer
	 * @return the creator
	 */
	public static AnetResponseCreator respond(Function<byte[], byte[]> answer) {
		Objects.requireNonNull(answer, "answer");
		return new AnetResponseCreator((request) -> AnetResponse.answer(answer.apply(request), Duration.ZERO));
	}

	/**
	 * Answer with these bytes once the delay has passed (other requests are served meanwhile).
	 * @param delay how long to wait before answering
	 * @param body the answer
	 * @return the creator
	 */
	public static AnetResponseCreator respondAfter(Duration delay, byte[] body) {
		byte[] answer = Objects.requireNonNull(body, "body").clone();
		Objects.requireNonNull(delay, "delay");
		return new AnetResponseCreator((request) -> AnetResponse.answer(answer, delay));
	}

	/**
	 * Answer with this ASCII text once the delay has passed.
	 * @param delay how long to wait before answering
	 * @param body the answer
	 * @return the creator
	 */
	public static AnetResponseCreator respondAfter(Duration delay, String body) {
		return respondAfter(delay, Bytes.ascii(Objects.requireNonNull(body, "body")));
	}

	/**
	 * Answer with what the function makes of the request once the delay has passed.
	 * @param delay how long to wait before answering
	 * @param answer makes the answer
	 * @return the creator
	 */
	public static AnetResponseCreator respondAfter(Duration delay, Function<byte[], byte[]> answer) {
		Objects.requireNonNull(delay, "delay");
		Objects.requireNonNull(answer, "answer");
		return new AnetResponseCreator((request) -> AnetResponse.answer(answer.apply(request), delay));
	}

	/**
	 * Answer nothing: the caller's request times out.
	 * @return the creator
	 */
	public static AnetResponseCreator noAnswer() {
		return new AnetResponseCreator((request) -> AnetResponse.of(AnetResponse.Action.NO_ANSWER));
	}

	/**
	 * Close the request's connection (FIN) instead of answering.
	 * @return the creator
	 */
	public static AnetResponseCreator closeConnection() {
		return new AnetResponseCreator((request) -> AnetResponse.of(AnetResponse.Action.CLOSE_CONNECTION));
	}

	/**
	 * Reset the request's connection (RST) instead of answering.
	 * @return the creator
	 */
	public static AnetResponseCreator resetConnection() {
		return new AnetResponseCreator((request) -> AnetResponse.of(AnetResponse.Action.RESET_CONNECTION));
	}

}
