#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace breakwater::testing {

// A Google service account key made for the test: a fresh 2048-bit RSA key from the openssl
// command-line tool (PKCS#8 PEM, as Google's key files hold it) and the JSON key file around it
// in a temporary directory, so no key lives in the repository. Construct it in initTestCase and
// QVERIFY2(isValid(), qPrintable(errorString())): without openssl the tests must fail, not skip.
class TestServiceAccount final
{
public:
    // tokenUri: what the file's token_uri says; empty leaves the field out.
    explicit TestServiceAccount(const QString& tokenUri = {});
    Q_DISABLE_COPY_MOVE(TestServiceAccount)

    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    QString clientEmail() const
    {
        return QStringLiteral("breakwater-test@example.iam.gserviceaccount.com");
    }
    // The JSON key file, as Google's console writes it.
    QString keyFilePath() const;
    QByteArray keyFileJson() const { return m_json; }
    QByteArray privateKeyPem() const { return m_privateKeyPem; }
    QByteArray publicKeyPem() const { return m_publicKeyPem; }
    QString privateKeyPath() const;
    QString publicKeyPath() const;
    QString directory() const { return m_dir.path(); }

    // Lines of the private key's base64 body: any one of them found in a log, a queue file, an
    // event or an error message means the key leaked.
    QStringList privateKeyFragments() const;

    // Runs openssl with these arguments (stdin from `input`), waiting at most 30 s. Returns
    // stdout, or sets *error.
    static QByteArray runOpenssl(const QStringList& arguments, const QByteArray& input,
                                 QString* error);

private:
    void generate(const QString& tokenUri);

    QTemporaryDir m_dir;
    QByteArray m_privateKeyPem;
    QByteArray m_publicKeyPem;
    QByteArray m_json;
    QString m_error;
};

} // namespace breakwater::testing
