package dev.anet.boot.wire;

/**
 * Masks card numbers: every run of 13 to 19 ASCII digits that passes the Luhn check keeps its first
 * 6 and last 4 digits and shows {@code *} for the others ({@code 4111111111111111} is logged as
 * {@code 411111******1111}), as PCI DSS allows. Digits in other encodings (BCD, EBCDIC) are not
 * recognised: give a masker of your own for them.
 */
public final class CardNumberWireMasker implements WireMasker {

	private static final int MIN_DIGITS = 13;

	private static final int MAX_DIGITS = 19;

	private static final int SHOWN_FIRST = 6;

	private static final int SHOWN_LAST = 4;

	@Override
	public byte[] mask(byte[] body) {
		byte[] masked = null;
		int i = 0;
		while (i < body.length) {
			if (!isDigit(body[i])) {
				i++;
				continue;
			}
			int start = i;
			while (i < body.length && isDigit(body[i])) {
				i++;
			}
			int length = i - start;
			if (length >= MIN_DIGITS && length <= MAX_DIGITS && passesLuhn(body, start, i)) {
				if (masked == null) {
					masked = body.clone();
				}
				for (int j = start + SHOWN_FIRST; j < i - SHOWN_LAST; j++) {
					masked[j] = '*';
				}
			}
		}
		return (masked != null) ? masked : body;
	}

	private static boolean isDigit(byte b) {
		return b >= '0' && b <= '9';
	}

	static boolean passesLuhn(byte[] digits, int start, int end) {
		int sum = 0;
		boolean doubled = false;
		for (int i = end - 1; i >= start; i--) {
			int digit = digits[i] - '0';
			if (doubled) {
				digit *= 2;
				if (digit > 9) {
					digit -= 9;
				}
			}
			sum += digit;
			doubled = !doubled;
		}
		return sum % 10 == 0;
	}

	@Override
	public String toString() {
		return "CardNumberWireMasker";
	}

}
