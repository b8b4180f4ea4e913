import { test } from 'vitest';
import { rehearseMigration } from '../../src/qemu/migrate.js';
import { QEMUS } from './harness.js';
import { writeFileSync } from 'node:fs';

const M = 'pc-i440fx-5.2';
const be = ['-audiodev', 'none,id=snd0', '-blockdev', 'driver=null-co,node-name=d0,size=1048576', '-blockdev', 'driver=null-co,node-name=d1,size=1048576',
  '-chardev', 'null,id=c0', '-chardev', 'null,id=c1', '-chardev', 'null,id=c2'];
const dev = (...d: string[]) => d.flatMap((x) => ['-device', x]);
const cases: Record<string, [string[], string[]]> = {
  hda: [dev('intel-hda,id=s0,addr=4', 'hda-duplex,audiodev=snd0'), dev('intel-hda,id=s0,addr=4')],
  hda2: [dev('intel-hda,id=s0,addr=4', 'hda-duplex,audiodev=snd0', 'hda-micro,audiodev=snd0'), dev('intel-hda,id=s0,addr=4', 'hda-duplex,audiodev=snd0')],
  hdaSame: [dev('intel-hda,id=s0,addr=4', 'hda-duplex,audiodev=snd0'), dev('intel-hda,id=s0,addr=4', 'hda-output,audiodev=snd0')],
  uhciTablet: [dev('piix3-usb-uhci,id=usb,addr=5', 'usb-tablet'), dev('piix3-usb-uhci,id=usb,addr=5')],
  uhciTablet2: [dev('piix3-usb-uhci,id=usb,addr=5', 'usb-kbd', 'usb-tablet'), dev('piix3-usb-uhci,id=usb,addr=5', 'usb-kbd')],
  xhciTablet: [dev('qemu-xhci,id=usb,addr=6', 'usb-tablet,bus=usb.0'), dev('qemu-xhci,id=usb,addr=6')],
  xhciMouse: [dev('qemu-xhci,id=usb,addr=6', 'usb-mouse,bus=usb.0,port=3'), dev('qemu-xhci,id=usb,addr=6')],
  usbStorage: [dev('qemu-xhci,id=usb,addr=6', 'usb-storage,drive=d0'), dev('qemu-xhci,id=usb,addr=6')],
  usbRedir: [dev('qemu-xhci,id=usb,addr=6', 'usb-redir,chardev=c0'), dev('qemu-xhci,id=usb,addr=6')],
  scsiHd: [dev('virtio-scsi-pci,id=scsi0,addr=7', 'scsi-hd,drive=d0'), dev('virtio-scsi-pci,id=scsi0,addr=7')],
  scsiCd: [dev('virtio-scsi-pci,id=scsi0,addr=7', 'scsi-cd,drive=d0,scsi-id=0,lun=2'), dev('virtio-scsi-pci,id=scsi0,addr=7')],
  serport: [dev('virtio-serial-pci,id=vs0,addr=8', 'virtserialport,chardev=c0,name=org.qemu.guest_agent.0'), dev('virtio-serial-pci,id=vs0,addr=8')],
  serportNr: [dev('virtio-serial-pci,id=vs0,addr=8', 'virtserialport,chardev=c0,name=a,nr=1'), dev('virtio-serial-pci,id=vs0,addr=8', 'virtserialport,chardev=c0,name=a,nr=2')],
  virtconsole: [dev('virtio-serial-pci,id=vs0,addr=8', 'virtconsole,chardev=c0'), dev('virtio-serial-pci,id=vs0,addr=8')],
  isaSerial: [dev('isa-serial,chardev=c1'), []],
  isaSerial2: [dev('isa-serial,chardev=c1', 'isa-serial,chardev=c2'), dev('isa-serial,chardev=c1')],
  debugcon: [dev('isa-debugcon,chardev=c1'), []],
  pvpanic: [dev('pvpanic'), []],
  ideHd: [dev('ide-hd,drive=d0,bus=ide.0'), []],
  ideCd: [dev('ide-cd,drive=d0,bus=ide.1'), []],
  ahciHd: [dev('ich9-ahci,id=sata0,addr=9', 'ide-hd,drive=d0,bus=sata0.0'), dev('ich9-ahci,id=sata0,addr=9')],
};
const out: string[] = [];
for (const q of QEMUS) {
  test(`explore ${q.release}`, async () => {
    for (const [name, [s, d]] of Object.entries(cases)) {
      try {
        const r = await rehearseMigration({ binary: q.binary, srcArgs: { machine: M, args: [...be, ...s] }, dstArgs: { machine: M, args: [...be, ...d] } });
        out.push(`${q.release} ${name}: ok=${r.ok} at=${r.failedAt ?? ''} ${JSON.stringify(r.stderr)}`);
      } catch (e) { out.push(`${q.release} ${name}: THROW ${(e as Error).message.slice(0, 300)}`); }
      writeFileSync(`/tmp/nonpci/explore-${q.release}.txt`, out.filter((l) => l.startsWith(q.release + ' ')).join('\n') + '\n');
    }
  }, 300_000);
}
