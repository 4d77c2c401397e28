#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace breakwater::testing {

class HttpTestListener;
struct HttpTestRequest;
struct HttpTestResponse;

// Google's two endpoints the Sheets sink talks to, each on its own port of 127.0.0.1 so that one
// can be down while the other is up:
// - the OAuth 2.0 token endpoint, checking what Google checks of a service account's grant:
//   grant_type jwt-bearer, a JWT whose RS256 signature verifies with the account's public key
//   (with OpenSSL here, never the code under test), iss, scope, aud (this endpoint's URL), an
//   hour between iat and exp, iat near now; answering {access_token, expires_in, token_type};
// - spreadsheets.values.append: POST to the spreadsheet's path with the range, RAW and
//   INSERT_ROWS, a Bearer token it issued and that has not expired (401 otherwise), a JSON body
//   with the range, ROWS and an array of rows of strings and numbers. Accepted rows are kept in
//   order; refusals are answered in Google's error shape.
// Lives on the test's thread and answers from its event loop; the sink blocks in libcurl on its
// own thread.
class SheetsTestServer final : public QObject
{
    Q_OBJECT

public:
    SheetsTestServer(QString spreadsheetId, QString range, QString clientEmail,
                     QByteArray publicKeyPem, QObject* parent = nullptr);
    ~SheetsTestServer() override;
    Q_DISABLE_COPY_MOVE(SheetsTestServer)

    bool isListening() const;
    QUrl sheetsBaseUrl() const; // what sheets.base_url takes
    QUrl tokenUrl() const;      // what sheets.token_url takes, and the JWT's aud

    struct Request
    {
        QByteArray target; // as sent, percent-encoding intact
        int status = 0;    // 0 while it hangs unanswered
        QString problem;   // what a refusal said
        int rows = 0;      // in the body
        bool stored = false;
        qint64 receivedAtMs = 0;
    };

    // Every row appended, in order, as sent.
    const std::vector<QJsonArray>& rows() const { return m_rows; }
    // Column 0 (event_id) of every stored row, in order.
    QStringList eventIds() const;
    const std::vector<Request>& appendRequests() const { return m_appends; }
    const std::vector<Request>& tokenRequests() const { return m_tokenRequests; }
    int appendCount() const { return int(m_appends.size()); }
    int tokenRequestCount() const { return int(m_tokenRequests.size()); }
    int status401Count() const;
    // Every access token handed out: what must never show up in an event or a file.
    QStringList issuedTokens() const;
    // What refusals quoted of the signed grants (see quoteCredentialsInRefusals): as secret.
    const QStringList& quotedAssertions() const { return m_assertions; }
    // "<status> <problem>" of every refused request: what to print when a test fails.
    QStringList refusals() const;

    // Rows must have this many cells (0: any).
    void setExpectedColumns(int columns) { m_expectedColumns = columns; }
    // The next `times` appends that pass every check get this status instead (429 with a
    // Retry-After header of retryAfterSeconds when that is 0 or more).
    void answerAppends(int times, int status, int retryAfterSeconds = -1);
    // The next `times` appends are read and never answered (until the client gives up); with
    // `store`, their rows are kept first: the answer is what gets lost.
    void hangAppends(int times, bool store = false);
    // Down: connections to the Sheets API are refused; up again: the same port.
    void setSheetsDown(bool down);
    // The next `times` token requests that pass every check get this status and OAuth error.
    void answerTokens(int times, int status, const QByteArray& error);
    // Every token issued so far is refused from now on, as expired ones are.
    void expireTokens();
    // expires_in of new tokens; they also stop working that long after they are issued.
    void setTokenLifetime(int seconds) { m_tokenLifetime = seconds; }
    // A token the API accepts though this endpoint never issued it: a fixed bearer token.
    void acceptToken(const QByteArray& token);
    // Scripted refusals quote the Authorization header they got, as a careless proxy might: what
    // the sink must scrub before it tells anyone.
    void quoteCredentialsInRefusals(bool quote) { m_quoteCredentials = quote; }
    // Those quotes put the token this many characters into the message (filler before it), so
    // that a cut of the message can split the token.
    void setCredentialsQuoteColumn(int column) { m_quoteColumn = column; }
    // Those refusals also put the bare token in the error's `status`, where Google names it.
    void quoteCredentialsInStatus(bool quote) { m_quoteInStatus = quote; }

Q_SIGNALS:
    void rowsAppended();

private:
    struct Scripted
    {
        int status = 0;
        int retryAfter = -1;
        bool hang = false;
        bool store = false;
        QByteArray oauthError;
    };

    std::optional<HttpTestResponse> handleAppend(const HttpTestRequest& request);
    HttpTestResponse checkAppend(const HttpTestRequest& request, Request& record,
                                 std::vector<QJsonArray>* rows);
    HttpTestResponse store(const std::vector<QJsonArray>& rows, Request& record);
    HttpTestResponse handleToken(const HttpTestRequest& request);
    HttpTestResponse checkToken(const HttpTestRequest& request);
    std::optional<QString> assertionProblem(const QByteArray& assertion) const;
    bool signatureVerifies(const QByteArray& signingInput, const QByteArray& signature) const;

    const QString m_spreadsheetId;
    const QString m_range;
    const QString m_clientEmail;
    const QByteArray m_publicKeyPem;
    std::unique_ptr<HttpTestListener> m_sheets;
    std::unique_ptr<HttpTestListener> m_oauth;

    std::vector<QJsonArray> m_rows;
    std::vector<Request> m_appends;
    std::vector<Request> m_tokenRequests;
    std::map<QByteArray, qint64> m_validTokens; // token -> expiry, ms since the epoch
    QStringList m_issued;
    QStringList m_assertions;
    std::deque<Scripted> m_appendScript;
    std::deque<Scripted> m_tokenScript;
    int m_tokenLifetime = 3600;
    int m_expectedColumns = 0;
    int m_nextToken = 1;
    bool m_quoteCredentials = false;
    bool m_quoteInStatus = false;
    int m_quoteColumn = 0;
};

} // namespace breakwater::testing
