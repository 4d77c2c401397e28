#pragma once

#include "csvexportjob.h"
#include "events/event.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <span>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QProgressDialog;
class QPushButton;
class QTableView;

namespace breakwater {

class LogFilterBar;
class LogFilterProxy;
class LogTableModel;

// The dashboard's log tab: every event in a table (LogTableModel, bounded), a filter bar, a
// "Follow tail" switch that keeps the newest rows in view until the operator scrolls up, the
// selected event in full as its app.log line, counts of shown and held rows, and CSV export of
// the current filter or of everything, written off the GUI thread with a cancellable progress
// dialog.
class LogView final : public QWidget
{
    Q_OBJECT

public:
    explicit LogView(QWidget* parent = nullptr);
    explicit LogView(qsizetype capacity, QWidget* parent = nullptr);
    ~LogView() override;
    Q_DISABLE_COPY_MOVE(LogView)

    LogTableModel* model() const { return m_model; }
    LogFilterProxy* proxy() const { return m_proxy; }
    QTableView* tableView() const { return m_table; }

    // GUI thread, with a batch from EventBridge::eventsArrived. Copies what it keeps.
    void appendEvents(std::span<const Event> events);

    bool followsTail() const;
    void setFollowTail(bool follow);

    // Exports without asking: the rows held now (those the current filter shows, or all of
    // them) to path, replacing the file only once the export has succeeded. Returns false, and
    // does nothing, while an export is still running. exportFinished() tells the outcome.
    bool startExport(const QString& path, ExportScope scope);
    bool isExporting() const { return m_export != nullptr; }

    // Where exportCsv() asks for the file; empty: the operator cancelled. The default is Qt's
    // save dialog. Tests that drive exportCsv() answer here, because the widget-based dialog
    // of the offscreen platform resolves a typed path asynchronously.
    using FileChooser = std::function<QString(QWidget* parent, const QString& suggestedName)>;
    void setFileChooser(FileChooser chooser);

public Q_SLOTS:
    // Asks for the file and whether to export the current filter or everything, then exports.
    void exportCsv();
    void cancelExport();

Q_SIGNALS:
    void exportFinished(bool ok, qint64 rowsWritten, const QString& error);

private:
    void buildLayout();
    void connectTail();
    void updateCounts();
    void showDetails(const QModelIndex& proxyIndex);
    void scrollToTail();
    void keepViewOnEviction(int removedRows);
    void finishExport(bool ok, qint64 rowsWritten, const QString& error);

    LogTableModel* m_model;
    LogFilterProxy* m_proxy;
    LogFilterBar* m_filterBar = nullptr;
    QTableView* m_table = nullptr;
    QCheckBox* m_followTail = nullptr;
    QPushButton* m_exportButton = nullptr;
    QLabel* m_counts = nullptr;
    QLabel* m_exportStatus = nullptr;
    QPlainTextEdit* m_details = nullptr;

    CsvExportJob* m_export = nullptr;
    QPointer<QProgressDialog> m_progress;
    FileChooser m_chooseFile;
    bool m_exportAsked = false;     // started by exportCsv(): failures get a message box
    bool m_exportCancelled = false; // the operator asked to stop: no message box for that
    bool m_scrollingToTail = false;
};

} // namespace breakwater
