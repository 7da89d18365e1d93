package dev.anet.boot.test.mock;

import dev.anet.boot.test.AutoConfigureMockAnetServer;
import dev.anet.boot.test.MockAnetServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.anet.boot.test.AnetRequestMatchers.prefix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @AutoConfigureMockAnetServer(ignoreExpectOrder = true)}: expectations in any order.
 */
@SpringBootTest
@AutoConfigureMockAnetServer(ignoreExpectOrder = true)
class UnorderedMockAnetServerTests {

	@Autowired
	private MockAnetServer hsm;

	@Autowired
	private HsmClient client;

	@Test
	void whenRequestsComeInAnotherOrderThanExpectedThenTheyAreStillAnswered() {
		this.hsm.expect(prefix("A")).andRespond("a");
		this.hsm.expect(prefix("B")).andRespond("b");

		assertThat(this.client.call("B")).isEqualTo("b");
		assertThat(this.client.call("A")).isEqualTo("a");
		this.hsm.verify();
	}

}
