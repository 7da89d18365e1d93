package com.example.payments;

import java.nio.charset.StandardCharsets;

import dev.anet.broker.Broker;

import org.springframework.stereotype.Service;

@Service
public class HsmClient {

	private final Broker broker;

	public HsmClient(Broker broker) {
		this.broker = broker;
	}

	public String diagnostics() {
		return new String(this.broker.send("NC00".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
	}

}
