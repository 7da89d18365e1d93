package dev.anet.boot.test.mock;

import java.nio.charset.StandardCharsets;

import dev.anet.broker.Broker;

import org.springframework.stereotype.Service;

/**
 * Calls the HSM through the broker.
 */
@Service
public class HsmClient {

	private final Broker broker;

	public HsmClient(Broker broker) {
		this.broker = broker;
	}

	public String call(String request) {
		return new String(this.broker.send(request.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
	}

}
