package dev.anet.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample's start-up demo load.
 */
@ConfigurationProperties("sample.demo")
public class DemoProperties {

	/**
	 * Requests the demo sends through the broker at start-up, so that the meters show numbers at
	 * once. 0 turns the demo off.
	 */
	private int requests = 0;

	/**
	 * Caller threads of the demo load.
	 */
	private int concurrency = 8;

	public int getRequests() {
		return this.requests;
	}

	public void setRequests(int requests) {
		this.requests = requests;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

}
