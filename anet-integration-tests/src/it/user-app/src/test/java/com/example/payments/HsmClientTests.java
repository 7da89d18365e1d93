package com.example.payments;

import dev.anet.boot.test.AutoConfigureMockAnetServer;
import dev.anet.boot.test.MockAnetServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.anet.boot.test.AnetRequestMatchers.prefix;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = "anet.server.port=0")
@AutoConfigureMockAnetServer
class HsmClientTests {

	@Autowired
	private MockAnetServer hsm;

	@Autowired
	private HsmClient client;

	@Test
	void askesTheHsmForDiagnostics() {
		this.hsm.expect(prefix("NC")).andRespond("ND00");
		assertThat(this.client.diagnostics()).isEqualTo("ND00");
		this.hsm.verify();
	}

}
