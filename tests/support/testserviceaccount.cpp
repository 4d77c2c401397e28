#include "testserviceaccount.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

namespace breakwater::testing {

namespace {

constexpr int kOpensslTimeoutMs = 30000;

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

TestServiceAccount::TestServiceAccount(const QString& tokenUri)
{
    generate(tokenUri);
}

QString TestServiceAccount::keyFilePath() const
{
    return m_dir.filePath(QStringLiteral("service-account.json"));
}

QString TestServiceAccount::privateKeyPath() const
{
    return m_dir.filePath(QStringLiteral("private.pem"));
}

QString TestServiceAccount::publicKeyPath() const
{
    return m_dir.filePath(QStringLiteral("public.pem"));
}

QStringList TestServiceAccount::privateKeyFragments() const
{
    QStringList fragments;
    for (const QByteArray& line : m_privateKeyPem.split('\n')) {
        if (line.size() >= 40 && !line.startsWith("-----"))
            fragments.append(QString::fromLatin1(line));
    }
    return fragments;
}

QByteArray TestServiceAccount::runOpenssl(const QStringList& arguments, const QByteArray& input,
                                          QString* error)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *error = QStringLiteral("the openssl command-line tool is not on PATH "
                                "(Debian: apt-get install openssl)");
        return {};
    }
    QProcess process;
    process.start(openssl, arguments);
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(kOpensslTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        *error = QStringLiteral("openssl %1 did not finish").arg(arguments.value(0));
        return {};
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        // Both: "dgst -verify" says "Verification failure" on stdout, the details on stderr.
        *error =
            QStringLiteral("openssl %1 failed: %2%3")
                .arg(arguments.value(0), QString::fromLocal8Bit(process.readAllStandardOutput()),
                     QString::fromLocal8Bit(process.readAllStandardError()));
        return {};
    }
    return process.readAllStandardOutput();
}

void TestServiceAccount::generate(const QString& tokenUri)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory: ") + m_dir.errorString();
        return;
    }
    // genpkey writes PKCS#8 ("BEGIN PRIVATE KEY"), the form of Google's key files.
    runOpenssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("RSA"),
                QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:2048"),
                QStringLiteral("-out"), privateKeyPath()},
               {}, &m_error);
    if (!m_error.isEmpty())
        return;
    runOpenssl({QStringLiteral("pkey"), QStringLiteral("-in"), privateKeyPath(),
                QStringLiteral("-pubout"), QStringLiteral("-out"), publicKeyPath()},
               {}, &m_error);
    if (!m_error.isEmpty())
        return;
    QFile privateKey(privateKeyPath());
    QFile publicKey(publicKeyPath());
    if (!privateKey.open(QIODevice::ReadOnly) || !publicKey.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read the keys openssl wrote");
        return;
    }
    m_privateKeyPem = privateKey.readAll();
    m_publicKeyPem = publicKey.readAll();

    QJsonObject key{
        {QStringLiteral("type"), QStringLiteral("service_account")},
        {QStringLiteral("project_id"), QStringLiteral("breakwater-test")},
        {QStringLiteral("private_key_id"),
         QStringLiteral("0123456789abcdef0123456789abcdef01234567")},
        {QStringLiteral("private_key"), QString::fromLatin1(m_privateKeyPem)},
        {QStringLiteral("client_email"), clientEmail()},
        {QStringLiteral("client_id"), QStringLiteral("101234567890123456789")},
        {QStringLiteral("auth_uri"), QStringLiteral("https://accounts.google.com/o/oauth2/auth")},
    };
    if (!tokenUri.isEmpty())
        key.insert(QStringLiteral("token_uri"), tokenUri);
    m_json = QJsonDocument(key).toJson(QJsonDocument::Indented);
    if (!writeFile(keyFilePath(), m_json))
        m_error = QStringLiteral("cannot write ") + keyFilePath();
}

} // namespace breakwater::testing
