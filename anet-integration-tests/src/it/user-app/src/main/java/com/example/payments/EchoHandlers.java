package com.example.payments;

import dev.anet.boot.AnetHandler;

import org.springframework.stereotype.Component;

@Component
public class EchoHandlers {

	@AnetHandler(prefix = "EC")
	byte[] echo(byte[] request) {
		return request;
	}

}
