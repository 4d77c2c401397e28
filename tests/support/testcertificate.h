#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QTemporaryDir>

namespace breakwater::testing {

// A fresh self-signed server certificate for 127.0.0.1 (and localhost), made by the openssl
// command-line tool at test time, so no key or expiry date lives in the repository. Construct it
// in initTestCase and QVERIFY2(isValid(), qPrintable(errorString())): without openssl the tests
// that need TLS must fail, not skip.
class TestCertificate final
{
public:
    TestCertificate();
    Q_DISABLE_COPY_MOVE(TestCertificate)

    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    const QSslCertificate& certificate() const { return m_certificate; }
    const QSslKey& privateKey() const { return m_key; }
    // The certificate as a PEM file: what a client trusts, e.g. as CURLOPT_CAINFO.
    QString caFilePath() const;
    QString keyFilePath() const;

private:
    void generate();

    QTemporaryDir m_dir;
    QSslCertificate m_certificate;
    QSslKey m_key;
    QString m_error;
};

} // namespace breakwater::testing
