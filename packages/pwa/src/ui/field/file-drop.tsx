// Where files come in: the camera, the file picker, and drag-and-drop on desktop; each hands the files over at once.
import { useState, type ChangeEvent, type DragEvent } from 'react';

/** Props for {@link FileDrop}. */
export interface FileDropProps {
  /** Called on the input's `change` (or the drop) before anything else, so the files are stored first. */
  onFiles: (files: File[]) => void;
}

function takeFiles(event: ChangeEvent<HTMLInputElement>, onFiles: (files: File[]) => void) {
  const files = [...(event.currentTarget.files ?? [])];
  // Cleared so picking the same file again still fires `change`.
  event.currentTarget.value = '';
  if (files.length > 0) onFiles(files);
}

/** Two inputs (camera: one photo; picker: several photos or PDFs) inside a drop target. */
export function FileDrop({ onFiles }: FileDropProps) {
  const [over, setOver] = useState(false);
  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };
  return (
    <div
      className={over ? 'file-drop file-drop--over' : 'file-drop'}
      data-testid="file-drop"
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label className="file-drop__button">
        Take a photo
        <input
          type="file"
          accept="image/*"
          capture="environment"
          onChange={(e) => takeFiles(e, onFiles)}
        />
      </label>
      <label className="file-drop__button">
        Photos or PDFs
        <input
          type="file"
          accept="image/*,application/pdf"
          multiple
          onChange={(e) => takeFiles(e, onFiles)}
        />
      </label>
      <p className="file-drop__hint">or drop files here</p>
    </div>
  );
}
