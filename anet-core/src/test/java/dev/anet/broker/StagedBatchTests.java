package dev.anet.broker;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule that tells, after a batch's write, which requests were handed to the socket: a frame
 * (6 header bytes + body) that starts before the count of bytes written was, one that starts at or
 * after it was not.
 */
class StagedBatchTests {

	private final StagedBatch batch = new StagedBatch();

	private final List<Request> sent = new ArrayList<>();

	private final List<Request> unsent = new ArrayList<>();

	private final StagedBatch.Outcome outcome = new StagedBatch.Outcome() {

		@Override
		public void sent(Request request) {
			StagedBatchTests.this.sent.add(request);
		}

		@Override
		public void unsent(Request request) {
			StagedBatchTests.this.unsent.add(request);
		}

	};

	private Request request(int bodySize) {
		Request request = new Request(null, new byte[bodySize], System.nanoTime(), 1_000_000_000L);
		this.batch.add(request);
		return request;
	}

	@Test
	void whenTheWriteFailsInsideAFrameThenThatFrameAndTheOnesBeforeItWereSentAndTheRestNot() {
		Request first = request(10); // bytes 0..15
		Request second = request(4); // bytes 16..25
		Request third = request(0); // bytes 26..31

		this.batch.settle(17, this.outcome);

		assertThat(this.sent).containsExactly(first, second);
		assertThat(this.unsent).containsExactly(third);
		assertThat(this.batch.isEmpty()).isTrue();
	}

	@Test
	void whenTheWriteStopsExactlyAtAFrameBoundaryThenTheNextFrameWasNotSent() {
		Request first = request(10);
		Request second = request(4);

		this.batch.settle(16, this.outcome);

		assertThat(this.sent).containsExactly(first);
		assertThat(this.unsent).containsExactly(second);
	}

	@Test
	void whenNothingWasWrittenThenNoRequestWasSent() {
		Request first = request(1);
		Request second = request(2);

		this.batch.settle(0, this.outcome);

		assertThat(this.sent).isEmpty();
		assertThat(this.unsent).containsExactly(first, second);
	}

	@Test
	void whenTheWholeBatchWasWrittenThenEveryRequestWasSentAndTheBatchCanBeReused() {
		List<Request> all = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			all.add(request(i));
		}

		this.batch.settle(Long.MAX_VALUE, this.outcome);
		Request again = request(3);
		this.batch.settle(Long.MAX_VALUE, this.outcome);

		assertThat(this.sent).hasSize(201).startsWith(all.toArray(Request[]::new)).endsWith(again);
		assertThat(this.unsent).isEmpty();
	}

}
