export function visible(text: string, _options: { multiline?: boolean } = {}): string {
  return text;
}
