package dev.anet.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerClosedException;
import dev.anet.broker.QueueFullException;
import dev.anet.frame.FrameTooLargeException;
import dev.anet.pool.NoPoolsAvailableException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.util.StreamUtils;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code POST /anet/send}: the body is the request (sent as is), {@code ?timeout=} (for example
 * {@code 500ms} or {@code 2s}) is optional, and the answer comes back as text. anet failures map
 * to HTTP statuses: a timeout is 504, a full queue or no reachable address 503, a body too large
 * 413, anything else 502.
 */
@RestController
class AnetController {

	private final Broker broker;

	AnetController(Broker broker) {
		this.broker = broker;
	}

	/**
	 * Send the raw request body. The body is read as bytes whatever its content type, so that
	 * {@code curl -d NC00} (a form post) sends exactly {@code NC00}.
	 */
	@PostMapping(path = "/anet/send", produces = MediaType.TEXT_PLAIN_VALUE)
	String send(HttpServletRequest request) throws IOException {
		byte[] body = StreamUtils.copyToByteArray(request.getInputStream());
		String timeout = UriComponentsBuilder.newInstance()
			.query(request.getQueryString())
			.build()
			.getQueryParams()
			.getFirst("timeout");
		byte[] answer = (timeout != null) ? this.broker.send(body, DurationStyle.detectAndParse(timeout))
				: this.broker.send(body);
		return new String(answer, StandardCharsets.UTF_8);
	}

	@ExceptionHandler(AnetTimeoutException.class)
	ResponseEntity<String> timeout(AnetTimeoutException ex) {
		return error(HttpStatus.GATEWAY_TIMEOUT, ex);
	}

	@ExceptionHandler({ QueueFullException.class, NoPoolsAvailableException.class, BrokerClosedException.class })
	ResponseEntity<String> unavailable(RuntimeException ex) {
		return error(HttpStatus.SERVICE_UNAVAILABLE, ex);
	}

	@ExceptionHandler(FrameTooLargeException.class)
	ResponseEntity<String> tooLarge(FrameTooLargeException ex) {
		return error(HttpStatus.CONTENT_TOO_LARGE, ex);
	}

	@ExceptionHandler(dev.anet.AnetException.class)
	ResponseEntity<String> failed(dev.anet.AnetException ex) {
		return error(HttpStatus.BAD_GATEWAY, ex);
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<String> badTimeout(IllegalArgumentException ex) {
		return error(HttpStatus.BAD_REQUEST, ex);
	}

	private static ResponseEntity<String> error(HttpStatus status, RuntimeException ex) {
		return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(ex.getMessage() + "\n");
	}

}
