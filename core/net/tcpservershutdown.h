#pragma once

#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

namespace breakwater {

// Stops listening and ends every connection at once: Qt's HTTP servers keep their connections as
// the QTcpServer's children, so aborting them first lets each client see the end now (a
// kept-alive scraper, a call hanging on the simulator), and deleting the server frees them with
// their requests. The simulator and the metrics endpoint stop this way.
inline void shutDownTcpServer(QTcpServer* server)
{
    if (!server)
        return;
    server->close();
    const QList<QTcpSocket*> sockets = server->findChildren<QTcpSocket*>();
    for (QTcpSocket* socket : sockets)
        socket->abort();
    delete server;
}

} // namespace breakwater
