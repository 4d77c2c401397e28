#include "testcertificate.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>

namespace breakwater::testing {

namespace {

constexpr int kOpensslTimeoutMs = 30000;

// Our own configuration rather than the system's, so OPENSSL_CONF or a distribution's defaults
// cannot change what the certificate says. CA:FALSE: curl and OpenSSL accept a self-signed leaf
// as its own trust anchor, and a client that wrongly insisted on a CA would be caught.
constexpr char kConfig[] = R"(
[req]
distinguished_name = subject
x509_extensions = server
prompt = no
default_md = sha256

[subject]
CN = 127.0.0.1

[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
)";

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

TestCertificate::TestCertificate()
{
    generate();
}

QString TestCertificate::caFilePath() const
{
    return m_dir.filePath(QStringLiteral("cert.pem"));
}

QString TestCertificate::keyFilePath() const
{
    return m_dir.filePath(QStringLiteral("key.pem"));
}

void TestCertificate::generate()
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        m_error = QStringLiteral("the openssl command-line tool is not on PATH "
                                 "(Debian: apt-get install openssl); TLS tests cannot run");
        return;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory: ") + m_dir.errorString();
        return;
    }
    const QString configPath = m_dir.filePath(QStringLiteral("openssl.cnf"));
    QFile config(configPath);
    if (!config.open(QIODevice::WriteOnly) || config.write(kConfig) < 0) {
        m_error = QStringLiteral("cannot write ") + configPath;
        return;
    }
    config.close();

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(openssl,
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                   QStringLiteral("1"), QStringLiteral("-config"), configPath,
                   QStringLiteral("-keyout"), keyFilePath(), QStringLiteral("-out"), caFilePath()});
    if (!process.waitForFinished(kOpensslTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        m_error = QStringLiteral("openssl req did not finish: ") + process.errorString();
        return;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error =
            QStringLiteral("openssl req failed: ") + QString::fromLocal8Bit(process.readAll());
        return;
    }

    m_certificate = QSslCertificate(readAll(caFilePath()), QSsl::Pem);
    m_key = QSslKey(readAll(keyFilePath()), QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    if (m_certificate.isNull() || m_key.isNull())
        m_error = QStringLiteral("Qt cannot read the certificate or key openssl wrote");
}

} // namespace breakwater::testing
