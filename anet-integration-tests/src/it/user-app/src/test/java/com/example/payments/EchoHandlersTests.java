package com.example.payments;

import dev.anet.boot.test.AnetHandlerTest;
import dev.anet.boot.test.AnetTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

@AnetHandlerTest
class EchoHandlersTests {

	@Autowired
	private AnetTestClient client;

	@Test
	void echoes() {
		this.client.send("EC hello").andExpectAnswer("EC hello");
	}

}
