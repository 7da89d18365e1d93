package dev.anet.broker;

/**
 * How a broker request ended.
 */
public enum RequestOutcome {

	/** The answer came. */
	SUCCESS,

	/** The deadline passed, queued or in flight. */
	TIMEOUT,

	/** Refused at once: queue full or broker closed. */
	REJECTED,

	/** Any other failure: connection lost, no address available, frame too large, cancelled. */
	ERROR

}
