package dev.anet.boot.autoconfigure;

import java.io.UncheckedIOException;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnetServerAddressFailureAnalyzer}: an {@code anet.server.address} that is not
 * this machine's.
 */
class AnetServerAddressFailureAnalyzerTests {

	@Test
	void whenTheAddressCannotBeResolvedThenTheAnalysisNamesThePropertyAndSaysWhatToDo() {
		AnetServerAddressException failure = new AnetServerAddressException("hsm-gateway.internal", 9000,
				new UncheckedIOException("Failed to start anet server on port 9000",
						new UnknownHostException("Cannot resolve hsm-gateway.internal")));
		FailureAnalysis analysis = new AnetServerAddressFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo("The anet server failed to start. anet.server.address "
				+ "'hsm-gateway.internal' could not be resolved to an address of this machine.");
		assertThat(analysis.getAction()).contains("anet.server.address").contains("0.0.0.0");
	}

	@Test
	void whenTheAddressIsNotThisMachinesThenStartUpFailsWithTheAddressException() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
			.withUserConfiguration(AnetServerAutoConfigurationTests.EchoHandlerConfiguration.class)
			.withPropertyValues("anet.server.address=192.0.2.1", "anet.server.port=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.cause()
					.isInstanceOf(AnetServerAddressException.class)
					.hasMessageContaining("anet.server.address '192.0.2.1' is not an address of this machine");
				assertThat(new AnetServerAddressFailureAnalyzer().analyze(context.getStartupFailure())).isNotNull();
			});
	}

}
