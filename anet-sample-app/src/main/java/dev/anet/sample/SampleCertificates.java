package dev.anet.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SAMPLE-ONLY certificates for the {@code tls} profile, made at start-up with the JDK's
 * {@code keytool} into {@code target/tls-certs} (once; delete the folder for new ones): a CA
 * ({@code truststore.p12}), the server's key store ({@code server.p12}, {@code CN=localhost}, SAN
 * {@code dns:localhost, ip:127.0.0.1}) and the client's ({@code client.p12},
 * {@code CN=anet sample client}), PKCS12, password {@code changeit}. Nothing is committed.
 */
final class SampleCertificates {

	static final Path DIR = Path.of("target", "tls-certs");

	private static final String[] FILES = { "truststore.p12", "server.p12", "client.p12" };

	private SampleCertificates() {
	}

	/**
	 * Make the certificates if the {@code tls} profile is asked for and they are missing.
	 * @param args the command line
	 */
	static void makeIfTlsProfile(String[] args) {
		String env = System.getenv("SPRING_PROFILES_ACTIVE");
		String property = System.getProperty("spring.profiles.active");
		boolean tls = Arrays.stream(args).anyMatch((arg) -> arg.startsWith("--spring.profiles.active=")
				&& List.of(arg.substring(arg.indexOf('=') + 1).split(",")).contains("tls"))
				|| (env != null && List.of(env.split(",")).contains("tls"))
				|| (property != null && List.of(property.split(",")).contains("tls"));
		if (tls && !Arrays.stream(FILES).allMatch((f) -> Files.isRegularFile(DIR.resolve(f)))) {
			make();
		}
	}

	private static void make() {
		try {
			Files.createDirectories(DIR);
			Path tmp = Files.createTempDirectory(DIR, ".new");
			keytool(tmp, "-genkeypair", "-keystore", "ca.p12", "-storetype", "PKCS12", "-alias", "ca", "-dname",
					"CN=anet sample CA", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650", "-ext",
					"bc:c=ca:true", "-ext", "ku:c=keyCertSign,cRLSign");
			keytool(tmp, "-exportcert", "-keystore", "ca.p12", "-alias", "ca", "-rfc", "-file", "ca.pem");
			keytool(tmp, "-importcert", "-keystore", "truststore.p12", "-storetype", "PKCS12", "-alias", "ca", "-file",
					"ca.pem", "-noprompt");
			leaf(tmp, "server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
			leaf(tmp, "client", "CN=anet sample client", null);
			for (String file : FILES) {
				Files.move(tmp.resolve(file), DIR.resolve(file));
			}
			System.err.println("sample: made TLS test certificates in " + DIR.toAbsolutePath());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot make the sample's TLS certificates in " + DIR, ex);
		}
	}

	private static void leaf(Path dir, String name, String dname, String san) throws IOException {
		keytool(dir, "-genkeypair", "-keystore", name + ".p12", "-storetype", "PKCS12", "-alias", name, "-dname",
				dname, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825");
		keytool(dir, "-certreq", "-keystore", name + ".p12", "-alias", name, "-file", name + ".csr");
		List<String> gencert = new ArrayList<>(List.of("-gencert", "-keystore", "ca.p12", "-alias", "ca", "-infile",
				name + ".csr", "-outfile", name + ".pem", "-rfc", "-validity", "825"));
		if (san != null) {
			gencert.addAll(List.of("-ext", san));
		}
		keytool(dir, gencert.toArray(String[]::new));
		Files.writeString(dir.resolve(name + "-chain.pem"),
				Files.readString(dir.resolve(name + ".pem")) + Files.readString(dir.resolve("ca.pem")));
		keytool(dir, "-importcert", "-keystore", name + ".p12", "-alias", name, "-file", name + "-chain.pem",
				"-noprompt");
	}

	private static void keytool(Path dir, String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(args));
		command.addAll(List.of("-storepass", "changeit"));
		try {
			Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run keytool", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running keytool", ex);
		}
	}

}
