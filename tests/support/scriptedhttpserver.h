#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpServer>
#include <QUrl>

#include <deque>
#include <map>
#include <memory>
#include <utility>
#include <vector>

class QTcpSocket;

namespace breakwater::testing {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

// One request as it arrived on the wire.
struct RecordedRequest
{
    QByteArray method;
    QByteArray path;  // as sent, percent-encoding intact
    QByteArray query; // after '?', as sent
    HeaderList headers;
    QByteArray body;

    // The first header of that name, case-insensitively; null when absent.
    QByteArray header(const QByteArray& name) const;
    bool hasHeader(const QByteArray& name) const;
};

// What the server does with a request. Every answer closes the connection afterwards.
struct ScriptedResponse
{
    enum class Mode
    {
        Respond,      // status, headers, body, Content-Length
        Echo,         // 200 audio/mpeg whose body is the request's body
        Hang,         // read the request, then say nothing, forever
        DripBody,     // 200 headers at once, then one body byte per interval, forever
        DripHeaders,  // a status line, then one header byte per interval, forever
        HugeBody,     // 200 audio/mpeg of hugeBytes, generated as the socket drains
        Reset,        // read the request, then reset the connection (RST)
        CloseMidBody, // announce declaredLength, send body, close
    };

    Mode mode = Mode::Respond;
    int status = 200;
    HeaderList headers;
    QByteArray body;
    int dripIntervalMs = 50;
    qint64 hugeBytes = 0;
    bool announceLength = true; // HugeBody: send Content-Length, or end the body by closing
    qint64 declaredLength = 0;  // CloseMidBody

    static ScriptedResponse respond(int status, const QByteArray& contentType,
                                    const QByteArray& body, const HeaderList& extra = {});
    static ScriptedResponse echo();
    static ScriptedResponse hang();
    static ScriptedResponse dripBody(int intervalMs);
    static ScriptedResponse dripHeaders(int intervalMs);
    static ScriptedResponse hugeBody(qint64 bytes, bool announceLength);
    static ScriptedResponse reset();
    static ScriptedResponse closeMidBody(const QByteArray& sent, qint64 declaredLength);
};

// A raw-socket HTTP/1.1 server on 127.0.0.1 (any free port) that answers as scripted, including
// the ways real servers misbehave, and writes down what it received. Lives on the test's thread;
// the client under test runs its network I/O on Qt's own threads, so both make progress while
// the test waits in QTRY_* or QSignalSpy::wait.
class ScriptedHttpServer final
{
public:
    ScriptedHttpServer();
    ~ScriptedHttpServer();
    ScriptedHttpServer(const ScriptedHttpServer&) = delete;
    ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

    bool isListening() const { return m_server.isListening(); }
    // http://127.0.0.1:<port><pathPrefix>
    QUrl url(const QString& pathPrefix = {}) const;

    // The answer to every request without a queued one.
    void setResponse(const ScriptedResponse& response) { m_default = response; }
    // Answers to the next requests, in order, before the default.
    void enqueue(const ScriptedResponse& response) { m_queue.push_back(response); }

    const std::vector<RecordedRequest>& requests() const { return m_requests; }
    int connectionsAccepted() const { return m_accepted; }
    int openConnections() const { return static_cast<int>(m_connections.size()); }
    // Connections the client closed or reset before the server was done with them.
    int connectionsClosedByClient() const { return m_closedByClient; }
    // Bytes the kernel took from us, over all connections.
    qint64 bytesWritten() const { return m_bytesWritten; }

private:
    struct Connection;

    void accept();
    void onReadyRead(Connection& connection);
    void answer(Connection& connection);
    void startDrip(Connection& connection, const QByteArray& head);
    void feedHugeBody(Connection& connection);
    void closeByServer(Connection& connection);
    void onDisconnected(QTcpSocket* socket);

    QTcpServer m_server;
    std::map<QTcpSocket*, std::unique_ptr<Connection>> m_connections;
    ScriptedResponse m_default;
    std::deque<ScriptedResponse> m_queue;
    std::vector<RecordedRequest> m_requests;
    int m_accepted = 0;
    int m_closedByClient = 0;
    qint64 m_bytesWritten = 0;
};

} // namespace breakwater::testing
