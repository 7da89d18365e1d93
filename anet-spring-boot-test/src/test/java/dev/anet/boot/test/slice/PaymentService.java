package dev.anet.boot.test.slice;

import org.springframework.stereotype.Service;

/**
 * Not a handler: {@code @AnetHandlerTest} leaves it out.
 */
@Service
public class PaymentService {

}
