#include "telemetry/sheets/serviceaccount.h"
#include "testserviceaccount.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace breakwater;
using namespace breakwater::testing;
using namespace std::chrono_literals;

namespace {

const WallTime kIssuedAt{std::chrono::seconds(1'764'000'000)};

JwtClaims sampleClaims(const QString& issuer)
{
    JwtClaims claims;
    claims.issuer = issuer;
    claims.scope = ServiceAccount::kSpreadsheetsScope;
    claims.audience = QStringLiteral("https://oauth2.googleapis.com/token");
    claims.issuedAt = kIssuedAt;
    return claims;
}

QByteArray fromBase64Url(const QByteArray& text)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? *decoded : QByteArray("<not base64url>");
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray keyJson(const QJsonObject& fields)
{
    return QJsonDocument(fields).toJson();
}

} // namespace

class TestServiceAccountKey final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void base64UrlHasNoPaddingAndTheUrlAlphabet_data();
    void base64UrlHasNoPaddingAndTheUrlAlphabet();
    void readsAGoogleKeyFile();
    void refusesWhatIsNotAUsableKey_data();
    void refusesWhatIsNotAUsableKey();
    void jwtHasTheShapeGoogleAsksFor();
    void signatureVerifiesWithThePublicKey();
    void signatureIsPkcs1v15Sha256();

private:
    std::unique_ptr<ServiceAccount> loadAccount();

    std::unique_ptr<TestServiceAccount> m_key;
    QTemporaryDir m_dir;
};

void TestServiceAccountKey::initTestCase()
{
    m_key =
        std::make_unique<TestServiceAccount>(QStringLiteral("https://oauth2.example.test/token"));
    QVERIFY2(m_key->isValid(), qPrintable(m_key->errorString()));
    QVERIFY(m_dir.isValid());
}

std::unique_ptr<ServiceAccount> TestServiceAccountKey::loadAccount()
{
    QString error;
    std::unique_ptr<ServiceAccount> account = ServiceAccount::load(m_key->keyFilePath(), &error);
    if (!account)
        qWarning("%s", qPrintable(error));
    return account;
}

void TestServiceAccountKey::base64UrlHasNoPaddingAndTheUrlAlphabet_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("encoded");
    // RFC 4648 section 10, padding removed.
    QTest::addRow("empty") << QByteArray() << QByteArray();
    QTest::addRow("f") << QByteArray("f") << QByteArray("Zg");
    QTest::addRow("fo") << QByteArray("fo") << QByteArray("Zm8");
    QTest::addRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
    QTest::addRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg");
    QTest::addRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE");
    QTest::addRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
    // '+' and '/' of standard base64 are '-' and '_' here.
    QTest::addRow("62 and 63") << QByteArray::fromHex("fbffbf") << QByteArray("-_-_");
    QTest::addRow("JWT header") << QByteArray(R"({"alg":"RS256","typ":"JWT"})")
                                << QByteArray("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9");
}

void TestServiceAccountKey::base64UrlHasNoPaddingAndTheUrlAlphabet()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, encoded);
    QCOMPARE(ServiceAccount::base64Url(bytes), encoded);
}

void TestServiceAccountKey::readsAGoogleKeyFile()
{
    const std::unique_ptr<ServiceAccount> account = loadAccount();
    QVERIFY(account);
    QCOMPARE(account->clientEmail(), m_key->clientEmail());
    QCOMPARE(account->tokenUri(), QUrl(QStringLiteral("https://oauth2.example.test/token")));

    QByteArray json = m_key->keyFileJson();
    QString error;
    QVERIFY(ServiceAccount::fromJson(json, &error));
    // The caller's copy is wiped: the key is not left lying in memory it no longer needs.
    QVERIFY(json.isEmpty());
}

void TestServiceAccountKey::refusesWhatIsNotAUsableKey_data()
{
    QTest::addColumn<QByteArray>("contents"); // empty: no file at all
    QTest::addColumn<QString>("expected");

    const QJsonObject good = QJsonDocument::fromJson(m_key->keyFileJson()).object();
    auto without = [&good](const char* field) {
        QJsonObject key = good;
        key.remove(QLatin1StringView(field));
        return keyJson(key);
    };
    auto with = [&good](const char* field, const QJsonValue& value) {
        QJsonObject key = good;
        key.insert(QLatin1StringView(field), value);
        return keyJson(key);
    };
    QString error;
    const QByteArray encrypted = TestServiceAccount::runOpenssl(
        {QStringLiteral("pkcs8"), QStringLiteral("-topk8"), QStringLiteral("-in"),
         m_key->privateKeyPath(), QStringLiteral("-v2"), QStringLiteral("aes-256-cbc"),
         QStringLiteral("-passout"), QStringLiteral("pass:breakwater")},
        {}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QByteArray ecKey = TestServiceAccount::runOpenssl(
        {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"),
         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256")},
        {}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // The PEM cut short: still PEM-shaped, its DER no longer whole.
    const QList<QByteArray> lines = m_key->privateKeyPem().split('\n');
    const QByteArray damaged = lines.mid(0, 6).join('\n') + "\n-----END PRIVATE KEY-----\n";

    QTest::addRow("no file") << QByteArray() << QStringLiteral("cannot read");
    QTest::addRow("not JSON") << QByteArray("{\"private_key\": \"-----BEGIN")
                              << QStringLiteral("not JSON");
    QTest::addRow("an array") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
    QTest::addRow("a user's credentials")
        << with("type", QStringLiteral("authorized_user")) << QStringLiteral("authorized_user");
    QTest::addRow("no client_email") << without("client_email") << QStringLiteral("client_email");
    QTest::addRow("no private_key") << without("private_key") << QStringLiteral("private_key");
    QTest::addRow("private_key not PEM")
        << with("private_key", QStringLiteral("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
        << QStringLiteral("not an unencrypted PEM private key");
    QTest::addRow("private_key damaged")
        << with("private_key", QString::fromLatin1(damaged)) << QStringLiteral("private_key");
    // Refused at once, without OpenSSL asking the terminal for a passphrase.
    QTest::addRow("encrypted private_key") << with("private_key", QString::fromLatin1(encrypted))
                                           << QStringLiteral("not an unencrypted PEM private key");
    QTest::addRow("EC private_key")
        << with("private_key", QString::fromLatin1(ecKey)) << QStringLiteral("not an RSA key");
    QTest::addRow("ftp token_uri") << with("token_uri", QStringLiteral("ftp://example.test/token"))
                                   << QStringLiteral("token_uri");
}

void TestServiceAccountKey::refusesWhatIsNotAUsableKey()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, expected);
    const QString path =
        m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + QStringLiteral(".json"));
    if (!contents.isEmpty())
        QVERIFY(writeFile(path, contents));

    QString error;
    QVERIFY(!ServiceAccount::load(path, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(path)), qPrintable(error));
    // Whatever went wrong, the message quotes nothing of the key.
    for (const QString& fragment : m_key->privateKeyFragments())
        QVERIFY2(!error.contains(fragment.left(16)), qPrintable(error));
    QVERIFY2(!error.contains(u"BEGIN"), qPrintable(error));
    QVERIFY2(!error.contains(u"MIIE"), qPrintable(error));
}

void TestServiceAccountKey::jwtHasTheShapeGoogleAsksFor()
{
    const std::unique_ptr<ServiceAccount> account = loadAccount();
    QVERIFY(account);
    QString error;
    const std::optional<QByteArray> jwt =
        account->signedJwt(sampleClaims(m_key->clientEmail()), &error);
    QVERIFY2(jwt, qPrintable(error));

    static const QRegularExpression shape(
        QStringLiteral("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$"));
    QVERIFY2(shape.match(QString::fromLatin1(*jwt)).hasMatch(), jwt->constData());
    const QList<QByteArray> parts = jwt->split('.');
    QCOMPARE(parts.size(), 3);

    QCOMPARE(fromBase64Url(parts[0]), QByteArray(R"({"alg":"RS256","typ":"JWT"})"));
    QJsonParseError parseError;
    const QJsonObject claims =
        QJsonDocument::fromJson(fromBase64Url(parts[1]), &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(claims.size(), 5);
    QCOMPARE(claims.value(u"iss").toString(), m_key->clientEmail());
    QCOMPARE(claims.value(u"scope").toString(),
             QStringLiteral("https://www.googleapis.com/auth/spreadsheets"));
    QCOMPARE(claims.value(u"aud").toString(),
             QStringLiteral("https://oauth2.googleapis.com/token"));
    QCOMPARE(claims.value(u"iat").toInteger(), 1'764'000'000);
    QCOMPARE(claims.value(u"exp").toInteger() - claims.value(u"iat").toInteger(), 3600);
    // A 2048-bit key signs 256 bytes.
    QCOMPARE(fromBase64Url(parts[2]).size(), 256);
}

void TestServiceAccountKey::signatureVerifiesWithThePublicKey()
{
    const std::unique_ptr<ServiceAccount> account = loadAccount();
    QVERIFY(account);
    QString error;
    const std::optional<QByteArray> jwt =
        account->signedJwt(sampleClaims(m_key->clientEmail()), &error);
    QVERIFY2(jwt, qPrintable(error));
    const qsizetype lastDot = jwt->lastIndexOf('.');
    const QByteArray signingInput = jwt->left(lastDot);
    const QString signaturePath = m_dir.filePath(QStringLiteral("jwt.sig"));
    const QString inputPath = m_dir.filePath(QStringLiteral("jwt.input"));
    QVERIFY(writeFile(signaturePath, fromBase64Url(jwt->mid(lastDot + 1))));
    QVERIFY(writeFile(inputPath, signingInput));

    // The openssl tool, not the code under test, and only the public key.
    const QStringList verify = {QStringLiteral("dgst"),
                                QStringLiteral("-sha256"),
                                QStringLiteral("-verify"),
                                m_key->publicKeyPath(),
                                QStringLiteral("-signature"),
                                signaturePath,
                                inputPath};
    const QByteArray verdict = TestServiceAccount::runOpenssl(verify, {}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(verdict.trimmed(), QByteArray("Verified OK"));

    // And the check can fail: one claim changed, the same signature no longer fits.
    QByteArray tampered = signingInput;
    tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
    QVERIFY(writeFile(inputPath, tampered));
    (void)TestServiceAccount::runOpenssl(verify, {}, &error);
    QVERIFY2(error.contains(u"Verification failure"), qPrintable(error));
}

void TestServiceAccountKey::signatureIsPkcs1v15Sha256()
{
    // RSASSA-PKCS1-v1_5 is deterministic (PSS is not): the same input signed by openssl with the
    // same key gives the same bytes, which pins RS256 down exactly.
    const std::unique_ptr<ServiceAccount> account = loadAccount();
    QVERIFY(account);
    QString error;
    const std::optional<QByteArray> jwt =
        account->signedJwt(sampleClaims(m_key->clientEmail()), &error);
    QVERIFY2(jwt, qPrintable(error));
    const qsizetype lastDot = jwt->lastIndexOf('.');
    const QByteArray expected =
        TestServiceAccount::runOpenssl({QStringLiteral("dgst"), QStringLiteral("-sha256"),
                                        QStringLiteral("-sign"), m_key->privateKeyPath()},
                                       jwt->left(lastDot), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(fromBase64Url(jwt->mid(lastDot + 1)).toHex(), expected.toHex());
}

QTEST_GUILESS_MAIN(TestServiceAccountKey)
#include "tst_serviceaccount.moc"
